-- Download links store only the SHA-256 of their token, like `my data` links. A stored raw token cannot be turned
-- into its hash here, and links live 15 minutes: the existing ones are dropped.
DELETE FROM "ExportLink";
ALTER TABLE "ExportLink" RENAME COLUMN "token" TO "tokenHash";
