/**
 * Writes results/<run-id>/: observations.ndjson as connections finish (so an interrupted run keeps
 * them) and results.json after every suite and at the end of the run, whatever the outcome.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCode } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { RunEvent } from '../model/events.js';
import type { Reporter } from './reporter.js';
import { LineBatch } from './line-batch.js';
import { boundedLab, boundedReadings } from './bounded-tables.js';
import { writeSuiteCopies, type ShardRecord } from '../shard/shard-record.js';

interface ResultsFile {
  runId: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  exitCode: number | null;
  error: unknown;
  environment: Record<string, unknown>;
  suites: unknown[];
  /** `run --shard`: which part of which run this is (src/shard/shard-record.ts). */
  shard?: ShardRecord;
  /** `merge`: the shards this run was merged from. */
  merged?: MergedRecord;
}

/** Which shards a merged run came from. */
export interface MergedRecord {
  run: string;
  count: number;
  shards: Array<{ index: number; dir: string; runId: string; hostname: unknown; outcome: string | null }>;
}

export class ResultsWriter implements Reporter {
  readonly name = 'results';
  private dir = '';
  private file: ResultsFile | null = null;
  private ndjson: LineBatch | null = null;
  private readonly benches = new Map<string, unknown>();

  constructor(
    private readonly argv: readonly string[],
    private readonly labName: string,
    private readonly about: { shard?: ShardRecord; merged?: MergedRecord } = {},
  ) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run:begin':
        this.dir = e.resultsDir;
        mkdirSync(this.dir, { recursive: true });
        this.ndjson = new LineBatch(path.join(this.dir, 'observations.ndjson'));
        this.file = {
          runId: e.runId,
          startedAt: e.startedAt,
          endedAt: null,
          outcome: null,
          exitCode: null,
          error: null,
          environment: this.environment(),
          suites: [],
          ...this.about,
        };
        if (this.about.shard) writeSuiteCopies(this.dir, this.about.shard);
        this.flush();
        break;
      case 'observation':
        // The line {suite, ...observation} would give, without copying the observation first.
        this.ndjson?.add(`{"suite":${JSON.stringify(e.suite)},${JSON.stringify(e.observation).slice(1)}\n`);
        break;
      case 'bench':
        this.benches.set(e.suite, { report: e.report, result: e.result });
        break;
      case 'suite:end':
        this.ndjson?.flush();
        this.file?.suites.push({
          name: e.suite,
          outcome: e.outcome,
          durationMs: Math.round(e.durationMs),
          // Epoch ms of the traffic clock's origin: merge puts shards' observations on one time line.
          trafficStartedAt: e.trafficStartedAt ?? null,
          verdicts: e.verdicts,
          summary: e.summary,
          bench: this.benches.get(e.suite) ?? null,
          // Bounded: the first entries and counts of the whole (bounded-tables.ts).
          lab: boundedLab(e.lab),
          director: boundedReadings(e.director),
          // The change window: changes, held sessions, timeline (src/model/change-window.ts, timeline.ts).
          window: e.window ?? null,
        });
        this.flush();
        break;
      case 'run:end':
        if (this.file) {
          this.file.endedAt = new Date().toISOString();
          this.file.outcome = e.outcome;
          this.file.exitCode = e.exitCode;
          this.file.error = e.error;
        }
        this.flush();
        break;
      default:
        break;
    }
  }

  /** The process is about to end before run:end (a second Ctrl-C): results.json says so, with the suites finished so far. */
  finishNow(signal: string): void {
    if (!this.file || this.file.endedAt !== null) return;
    this.file.endedAt = new Date().toISOString();
    this.file.outcome = 'aborted';
    this.file.exitCode = ExitCode.Aborted;
    this.file.error = { code: ErrorCode.ABORTED, message: `run aborted by ${signal} twice: stopped at once, the suite under way is not included` };
    this.ndjson?.flush();
    this.flush();
  }

  async close(): Promise<void> {
    this.ndjson?.end();
  }

  private flush(): void {
    if (this.file) writeFileSync(path.join(this.dir, 'results.json'), `${JSON.stringify(this.file, null, 2)}\n`);
  }

  private environment(): Record<string, unknown> {
    return {
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      hostname: os.hostname(),
      cpus: os.cpus().length,
      lab: this.labName,
      argv: this.argv,
    };
  }
}
