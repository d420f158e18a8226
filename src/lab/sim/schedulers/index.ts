import type { SchedulerName } from '../../../model/ipvs.js';
import { createLc } from './lc.js';
import { createRr } from './rr.js';
import { createSh } from './sh.js';
import type { SchedulerFactory } from './types.js';
import { createWlc } from './wlc.js';
import { createWrr } from './wrr.js';

export const schedulerFactories: Readonly<Record<SchedulerName, SchedulerFactory>> = {
  rr: createRr,
  wrr: createWrr,
  lc: createLc,
  wlc: createWlc,
  sh: createSh,
};

export type { SchedClient, SchedDest, Scheduler, SchedulerFactory } from './types.js';
