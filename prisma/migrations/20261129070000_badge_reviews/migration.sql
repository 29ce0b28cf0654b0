-- CreateTable
CREATE TABLE "BadgeApplication" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "badgeClassId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "openKey" TEXT,
    "evidence" TEXT NOT NULL,
    "link" TEXT,
    "createdAt" DATETIME NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "comment" TEXT,
    CONSTRAINT "BadgeApplication_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BadgeApplication_badgeClassId_fkey" FOREIGN KEY ("badgeClassId") REFERENCES "BadgeClass" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "BadgeApplication_openKey_key" ON "BadgeApplication"("openKey");

-- CreateIndex
CREATE INDEX "BadgeApplication_badgeClassId_status_idx" ON "BadgeApplication"("badgeClassId", "status");

