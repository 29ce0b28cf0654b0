-- Events created from an announcement: registration deadline, creator, change counter, hidden while a draft.
ALTER TABLE "Event" ADD COLUMN "registrationDeadline" DATETIME;
ALTER TABLE "Event" ADD COLUMN "createdBy" TEXT;
ALTER TABLE "Event" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Event" ADD COLUMN "draft" BOOLEAN NOT NULL DEFAULT false;
