/**
 * `changes:` in a suite: what is done to the director or the real servers while the traffic flows,
 * each `at` seconds after the traffic starts. One action per entry:
 *
 *   - { at: 2, weight: { server: web2, to: 0 } }       # ipvsadm -e ... -w 0 (drain)
 *   - { at: 2, remove: web2 }                          # ipvsadm -d
 *   - { at: 2, add: { name: web3, address: 127.0.1.3, weight: 1 } }
 *   - { at: 2, stop: web2 }  or  { at: 2, stop: { server: web2, mode: blackhole } }
 *   - { at: 4, start: web2 }
 *   - { at: 0, sysctl: { expire_quiescent_template: 1 } }
 *   - { at: 3, apply: new-config.ipvsadm }             # an ipvsadm -S -n dump
 *   - { at: 3, reload: true }                          # keepalived only
 *
 * Names and times are checked against the rest of the suite in schema.ts (changeProblems).
 */
import { z } from 'zod';
import type { ChangeAction } from '../model/change-window.js';
import { ipv4, shortName } from './fields.js';

const sysctls = z
  .strictObject({
    expire_nodest_conn: z.union([z.literal(0), z.literal(1)]).optional(),
    expire_quiescent_template: z.union([z.literal(0), z.literal(1)]).optional(),
    conn_reuse_mode: z.int().min(0).max(3).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one of expire_nodest_conn, expire_quiescent_template, conn_reuse_mode' });

const stop = z.union([
  shortName,
  z.strictObject({ server: shortName, mode: z.enum(['reset', 'blackhole']).default('reset') }),
]);

const ACTIONS = ['weight', 'remove', 'add', 'stop', 'start', 'sysctl', 'apply', 'reload'] as const;

const changeFields = z.strictObject({
  at: z.number().min(0).max(86400),
  weight: z.strictObject({ server: shortName, to: z.int().min(0).max(65535) }).optional(),
  remove: shortName.optional(),
  add: z.strictObject({ name: shortName, address: ipv4, weight: z.int().min(0).max(65535).default(1) }).optional(),
  stop: stop.optional(),
  start: shortName.optional(),
  sysctl: sysctls.optional(),
  apply: z.string().min(1).optional(),
  reload: z.literal(true).optional(),
});

type ChangeFields = z.output<typeof changeFields>;

export const change = changeFields
  .superRefine((c, ctx) => {
    const given = ACTIONS.filter((a) => c[a] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `exactly one action besides at: one of ${ACTIONS.join(', ')}${given.length > 1 ? ` (not ${given.join(' and ')})` : ''}` });
    }
  })
  .transform((c): PlannedChange => ({ at: c.at, action: toAction(c) }));

export interface PlannedChange {
  /** Seconds after the traffic starts. */
  at: number;
  action: ChangeAction;
}

function toAction(c: ChangeFields): ChangeAction {
  if (c.weight) return { kind: 'weight', server: c.weight.server, to: c.weight.to };
  if (c.remove !== undefined) return { kind: 'remove', server: c.remove };
  if (c.add) return { kind: 'add', server: c.add.name, address: c.add.address, weight: c.add.weight };
  if (c.stop !== undefined) return typeof c.stop === 'string' ? { kind: 'stop', server: c.stop, mode: 'reset' } : { kind: 'stop', ...c.stop };
  if (c.start !== undefined) return { kind: 'start', server: c.start };
  if (c.sysctl) return { kind: 'sysctl', values: Object.fromEntries(Object.entries(c.sysctl).filter(([, v]) => v !== undefined)) };
  if (c.apply !== undefined) return { kind: 'apply', file: c.apply };
  return { kind: 'reload' };
}

/** The server a change names, if any. */
export function changeServer(a: ChangeAction): string | null {
  return 'server' in a ? a.server : null;
}
