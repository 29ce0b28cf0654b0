import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * The database the migrations build (every test database is one) has exactly the tables and columns the schema,
 * and so the generated client, expects: a field added to schema.prisma without its migration (or the other way
 * round) fails here, not in production on the first query that touches it.
 */
let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb({ content: false });
});
afterAll(async () => testDb?.close());

const columns = async (table: string) =>
  (await testDb.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}')`)).map((c) => c.name).sort();

describe('migrations and schema.prisma', () => {
  it('every model is a table with exactly its fields as columns, and there are no other tables', async () => {
    const models = Object.values(Prisma.ModelName).sort();
    const namespace = Prisma as unknown as Record<string, Record<string, string> | undefined>;
    for (const model of models) {
      const fields = Object.values(namespace[`${model}ScalarFieldEnum`] ?? {}).sort();
      expect({ model, columns: await columns(model) }).toEqual({ model, columns: fields });
    }
    const tables = await testDb.db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma_%'");
    expect(tables.map((t) => t.name).sort()).toEqual(models);
  });
});
