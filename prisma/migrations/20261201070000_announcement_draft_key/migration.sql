-- A new compose card carries a key of its own: saving the same card twice (a double click, a replay) is one draft.
ALTER TABLE "Announcement" ADD COLUMN "draftKey" TEXT;
CREATE UNIQUE INDEX "Announcement_draftKey_key" ON "Announcement"("draftKey");
