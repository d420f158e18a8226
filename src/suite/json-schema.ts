/**
 * The suite file's JSON Schema, generated from the zod schema so the two cannot drift: editors
 * (yaml-language-server) complete and check suites with it. It describes what a user writes (zod's
 * input side: defaulted fields optional); rules that need code (address pools, cross-field checks)
 * stay with the loader.
 */
import { z } from 'zod';
import { suiteSchema } from './schema.js';

export function suiteJsonSchema(): string {
  const schema = z.toJSONSchema(suiteSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
  return `${JSON.stringify({ ...schema, title: 'lvs-harness suite', description: 'One scenario for lvs-harness run: the VIP, the LVS service it should be, probes, clients, traffic and checks.' }, null, 2)}\n`;
}
