/** Regenerates schema/suite.schema.json from the zod suite schema (`npm run schema`); a test fails when the shipped file is stale. */
import { writeFileSync } from 'node:fs';
import { suiteJsonSchema } from '../src/suite/json-schema.js';

writeFileSync(new URL('../schema/suite.schema.json', import.meta.url), suiteJsonSchema());
