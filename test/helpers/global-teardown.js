import fs from 'node:fs';

export default function globalTeardown() {
  if (process.env.REXVET_TEST_DIR) fs.rmSync(process.env.REXVET_TEST_DIR, { recursive: true, force: true });
}
