-- AlterTable
ALTER TABLE "Person" ADD COLUMN "digestPrefs" JSONB;

-- CreateTable
CREATE TABLE "MappingSnapshot" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "organisationId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MappingSnapshot_createdAt_idx" ON "MappingSnapshot"("createdAt");

