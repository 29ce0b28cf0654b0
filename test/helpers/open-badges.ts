import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

export const OB_FIXTURES = path.resolve('test/fixtures/open-badges');
export const obFixture = (name: string) => fs.readFileSync(path.join(OB_FIXTURES, name));

/** The 1EdTech Open Badges 3.0 AchievementCredential JSON Schema (draft 2019-09), compiled. */
export function schemaValidator() {
  const ajv = new (Ajv2019 as unknown as typeof Ajv2019.default)({ strict: false, allErrors: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile(JSON.parse(obFixture('ob_v3p0_achievementcredential_schema.json').toString('utf8')));
}
