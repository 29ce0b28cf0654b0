-- CreateTable
CREATE TABLE "BadgeClass" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "areaId" TEXT,
    "level" TEXT,
    "position" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "BadgeAward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "badgeClassId" TEXT NOT NULL,
    "activeKey" TEXT,
    "statusIndex" INTEGER NOT NULL,
    "credential" JSONB NOT NULL,
    "awardedBy" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "showName" BOOLEAN NOT NULL DEFAULT false,
    "revokedAt" DATETIME,
    "revokeReason" TEXT,
    CONSTRAINT "BadgeAward_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BadgeAward_badgeClassId_fkey" FOREIGN KEY ("badgeClassId") REFERENCES "BadgeClass" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "BadgeAward_activeKey_key" ON "BadgeAward"("activeKey");

-- CreateIndex
CREATE UNIQUE INDEX "BadgeAward_statusIndex_key" ON "BadgeAward"("statusIndex");

-- CreateIndex
CREATE INDEX "BadgeAward_personId_idx" ON "BadgeAward"("personId");

