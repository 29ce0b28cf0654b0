-- An announcement may carry a picture: its https address and a description for screen readers.
ALTER TABLE "Announcement" ADD COLUMN "imageUrl" TEXT;
ALTER TABLE "Announcement" ADD COLUMN "imageAlt" TEXT;
