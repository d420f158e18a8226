/**
 * The check-plugin contract. A plugin is one file in plugins/ whose default export is
 * `defineCheck({ name, description, options, create })`. `create` runs once per suite with the
 * options validated by `options` (a zod schema, checked when the suite loads, before traffic) and
 * returns the hooks. Plugins see JSON-safe data only: the suite view, observations, lab snapshots and director readings.
 * A check keeps what it needs of the observations from its `observation` hook, per client or per
 * template, so that its memory grows with clients, not with connections; the verdict gets no list of them.
 * Hooks are only ever called by the plugin driver, which names the plugin when one throws.
 */
import type { z } from 'zod';
import type { DirectorSnapshot } from '../director/model.js';
import type { LabSnapshot } from '../lab/lab.js';
import type { SuiteSpec } from '../suite/schema.js';
import type { Observation } from './observation.js';
import type { CheckOutcome } from './verdict.js';
import type { ChangeWindow } from './change-window.js';
import type { LegLog } from '../director/leg-log.js';

/** What a plugin may know of the suite it checks. */
export interface SuiteView {
  name: string;
  file: string;
  vip: string;
  service: SuiteSpec['service'];
  probes: SuiteSpec['probes'];
  traffic: SuiteSpec['traffic'];
  clients: { count: number; first: string; last: string };
  /** The suite's source addresses, in pool order (after --max-clients). */
  sources: readonly string[];
  /** What stands behind the VIP: `embedded` or `kernel` (a lab the harness built: its clients are the director's only ones), or `none`. */
  lab: string;
  /** The director is read before and after the traffic (a lab's, or a live one's through `--director`). */
  directorRead: boolean;
  /**
   * Set when the lab's director also serves clients that are not this run's (a shard among others in
   * one kernel lab): why, for verdicts. The lab then proves nothing about who else was scheduled.
   */
  sharedDirector?: string;
}

export interface VerdictInput {
  suite: SuiteView;
  /**
   * Every TCP connection's two ends and the real server it named (FTP data connections after their
   * session's), in the order they were started: what the director's table is compared with.
   */
  legs: LegLog;
  /** The director's state after the traffic, when the lab can tell (embedded or kernel lab). */
  lab: LabSnapshot | null;
  /** The changes made while the traffic flowed, the held sessions and the timeline; absent without a change window. */
  window?: ChangeWindow;
  /**
   * The director read before and after the traffic (a lab, or a live one given by `--director`);
   * null where no director was read.
   */
  director: DirectorReadings;
}

export interface DirectorReadings {
  before: DirectorSnapshot | null;
  after: DirectorSnapshot | null;
}

export interface CheckHooks {
  /** Sequential, once per finished connection, in the order the connections were started (seq). Must not block. */
  observation?(obs: Observation): void;
  /** Once, after the traffic (also after an abort, on what was collected). */
  verdict(input: VerdictInput): CheckOutcome | Promise<CheckOutcome>;
}

export interface CheckPlugin<O = unknown> {
  name: string;
  description: string;
  /** The check judges persistence templates: a suite naming it for a non-persistent service is rejected when it loads. */
  needsPersistence?: boolean;
  options: z.ZodType<O>;
  create(options: O, suite: SuiteView): CheckHooks;
  /**
   * Before any traffic: why the suite's traffic, as sized, could never give this check the evidence to
   * pass (too few clients, one port where two are needed), or null. A non-null answer stops the run.
   */
  sizing?(options: O, suite: SuiteView): string | null;
}

export function defineCheck<S extends z.ZodType>(plugin: {
  name: string;
  description: string;
  needsPersistence?: boolean;
  options: S;
  create(options: z.output<S>, suite: SuiteView): CheckHooks;
  sizing?(options: z.output<S>, suite: SuiteView): string | null;
}): CheckPlugin<z.output<S>> {
  return plugin as unknown as CheckPlugin<z.output<S>>;
}
