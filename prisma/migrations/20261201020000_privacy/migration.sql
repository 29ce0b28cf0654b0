-- Data rights: tombstones for erased badge holders, the retention job's lookup, `my data` download links.
ALTER TABLE "Person" ADD COLUMN "erasedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Person_lastSeenAt_idx" ON "Person"("lastSeenAt");

-- CreateTable
CREATE TABLE "PrivacyExport" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "PrivacyExport_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PrivacyExport_personId_idx" ON "PrivacyExport"("personId");
