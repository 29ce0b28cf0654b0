-- CreateTable
CREATE TABLE "Framework" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "version" TEXT NOT NULL,
    "meta" JSONB NOT NULL
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'in_progress',
    "openKey" TEXT,
    "step" INTEGER NOT NULL DEFAULT 0,
    "jobRole" TEXT,
    "frameworkVersion" TEXT NOT NULL,
    "results" JSONB,
    "chartToken" TEXT,
    "startedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Assessment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Answer" (
    "assessmentId" TEXT NOT NULL,
    "statementId" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "evidence" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("assessmentId", "statementId"),
    CONSTRAINT "Answer_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LanguageRating" (
    "assessmentId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "skill" TEXT NOT NULL,
    "level" TEXT NOT NULL,

    PRIMARY KEY ("assessmentId", "language", "skill"),
    CONSTRAINT "LanguageRating_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_openKey_key" ON "Assessment"("openKey");

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_chartToken_key" ON "Assessment"("chartToken");

-- CreateIndex
CREATE INDEX "Assessment_personId_status_idx" ON "Assessment"("personId", "status");

