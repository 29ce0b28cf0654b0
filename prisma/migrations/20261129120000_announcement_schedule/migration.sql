-- AlterTable
ALTER TABLE "Announcement" ADD COLUMN "sendAt" DATETIME;

