-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamsUserId" TEXT NOT NULL,
    "aadObjectId" TEXT,
    "tenantId" TEXT,
    "name" TEXT,
    "email" TEXT,
    "upn" TEXT,
    "clientLocale" TEXT,
    "language" TEXT,
    "timeZone" TEXT,
    "jobRole" TEXT,
    "organisationId" TEXT,
    "unitId" TEXT,
    "onboardedAt" DATETIME,
    "memberFetchedAt" DATETIME,
    "reminderPrefs" JSONB,
    "unreachableAt" DATETIME,
    "unreachableReason" TEXT,
    "digestPrefs" JSONB,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Person_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Person_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Person" ("aadObjectId", "clientLocale", "createdAt", "digestPrefs", "email", "id", "jobRole", "language", "lastSeenAt", "memberFetchedAt", "name", "onboardedAt", "organisationId", "reminderPrefs", "teamsUserId", "tenantId", "timeZone", "unitId", "unreachableAt", "unreachableReason", "upn") SELECT "aadObjectId", "clientLocale", "createdAt", "digestPrefs", "email", "id", "jobRole", "language", "lastSeenAt", "memberFetchedAt", "name", "onboardedAt", "organisationId", "reminderPrefs", "teamsUserId", "tenantId", "timeZone", "unitId", "unreachableAt", "unreachableReason", "upn" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE UNIQUE INDEX "Person_teamsUserId_key" ON "Person"("teamsUserId");
CREATE UNIQUE INDEX "Person_aadObjectId_key" ON "Person"("aadObjectId");
CREATE INDEX "Person_organisationId_idx" ON "Person"("organisationId");
CREATE INDEX "Person_email_idx" ON "Person"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

