-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "openKey" TEXT,
    "focusAreas" JSONB NOT NULL,
    "checkins" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "Plan_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanStep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "planId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "position" INTEGER NOT NULL,
    "reason" JSONB NOT NULL,
    "goalWhat" TEXT,
    "goalBy" DATETIME,
    "goalEvidence" TEXT,
    "goalSupport" TEXT,
    "reflection" TEXT,
    "evidenceLink" TEXT,
    "decidedAt" DATETIME,
    "doneAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PlanStep_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AreaInterest" (
    "personId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,

    PRIMARY KEY ("personId", "areaId"),
    CONSTRAINT "AreaInterest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TargetOverride" (
    "personId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "level" TEXT NOT NULL,

    PRIMARY KEY ("personId", "areaId"),
    CONSTRAINT "TargetOverride_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanShare" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "planId" TEXT NOT NULL,
    "viewerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "PlanShare_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PlanShare_viewerId_fkey" FOREIGN KEY ("viewerId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Plan_openKey_key" ON "Plan"("openKey");

-- CreateIndex
CREATE INDEX "Plan_personId_status_idx" ON "Plan"("personId", "status");

-- CreateIndex
CREATE INDEX "PlanStep_planId_idx" ON "PlanStep"("planId");

-- CreateIndex
CREATE INDEX "PlanShare_viewerId_idx" ON "PlanShare"("viewerId");

-- CreateIndex
CREATE INDEX "PlanShare_planId_idx" ON "PlanShare"("planId");

