-- AlterTable
ALTER TABLE "Person" ADD COLUMN "reminderPrefs" JSONB;
ALTER TABLE "Person" ADD COLUMN "unreachableAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "unreachableReason" TEXT;

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "personId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "activityId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "Job_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecurringRun" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastTickAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RateSlot" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "nextAt" REAL NOT NULL
);

-- CreateTable
CREATE TABLE "SendLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TenantState" (
    "tenantId" TEXT NOT NULL PRIMARY KEY,
    "disabledAt" DATETIME,
    "reason" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Job_idempotencyKey_key" ON "Job"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_personId_kind_status_idx" ON "Job"("personId", "kind", "status");

-- CreateIndex
CREATE INDEX "SendLog_conversationId_at_idx" ON "SendLog"("conversationId", "at");

