-- CreateTable
CREATE TABLE "ContentVersion" (
    "file" TEXT NOT NULL PRIMARY KEY,
    "version" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "loadedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Organisation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "strategy" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "OrganisationTenant" (
    "tenantId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "source" TEXT NOT NULL,

    PRIMARY KEY ("tenantId", "organisationId"),
    CONSTRAINT "OrganisationTenant_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organisationId" TEXT NOT NULL,
    "name" JSONB NOT NULL,
    "position" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Unit_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Area" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "position" INTEGER NOT NULL,
    "content" JSONB NOT NULL
);

-- CreateTable
CREATE TABLE "Statement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "areaId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" JSONB NOT NULL,
    CONSTRAINT "Statement_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobRole" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" JSONB NOT NULL,
    "profile" JSONB NOT NULL,
    "position" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Person" (
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
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Person_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Person_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "personId" TEXT,
    "tenantId" TEXT,
    "teamId" TEXT,
    "teamName" TEXT,
    "channelName" TEXT,
    "serviceUrl" TEXT NOT NULL,
    "reference" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Conversation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Grant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "role" TEXT,
    "organisationId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "openKey" TEXT,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AccessRequest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB
);

-- CreateIndex
CREATE INDEX "OrganisationTenant_tenantId_idx" ON "OrganisationTenant"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_teamsUserId_key" ON "Person"("teamsUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_aadObjectId_key" ON "Person"("aadObjectId");

-- CreateIndex
CREATE INDEX "Person_organisationId_idx" ON "Person"("organisationId");

-- CreateIndex
CREATE INDEX "Person_email_idx" ON "Person"("email");

-- CreateIndex
CREATE INDEX "Conversation_personId_idx" ON "Conversation"("personId");

-- CreateIndex
CREATE INDEX "Conversation_teamId_idx" ON "Conversation"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Grant_personId_role_scope_key" ON "Grant"("personId", "role", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequest_openKey_key" ON "AccessRequest"("openKey");

-- CreateIndex
CREATE INDEX "AccessRequest_organisationId_status_idx" ON "AccessRequest"("organisationId", "status");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

