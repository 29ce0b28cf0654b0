-- CreateTable
CREATE TABLE "ExportLink" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "organisationId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ExportLink_expiresAt_idx" ON "ExportLink"("expiresAt");

