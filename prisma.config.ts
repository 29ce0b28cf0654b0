import path from 'node:path';
import fs from 'node:fs';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// Prisma 7 cannot run offline here; 6.19 with the JS engine and a driver adapter can (README, decision 2).
const url = process.env.DATABASE_URL ?? 'file:./data/app.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const file = url.replace(/^file:/, '');
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
