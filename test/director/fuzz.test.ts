/**
 * Fuzzing the director parsers with mutations of the kernel lab's real outputs: a seeded PRNG deletes,
 * duplicates and swaps lines, flips, inserts and deletes characters, replaces numbers with huge,
 * negative and garbage ones, and truncates, then feeds each text to detectFormat, to every parser
 * (detected and forced), to the --director-config reader, and each model it gets to the combiner and
 * the ipvsadm -Ln printer. A call passes when it returns a JSON-safe model or throws a HarnessError
 * whose message starts with file:line; anything else (a TypeError, a RangeError, NaN in a model) is
 * a crash, and one crash fails the test. The figures are printed.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import type { DirectorSnapshot } from '../../src/director/model.js';
import { combineReadings, detectFormat, parseDirectorText, type DirectorFormat } from '../../src/director/parse/index.js';
import { snapshotListing } from '../../src/director/snapshot-listing.js';
import { parseIpvsadmSave } from '../../src/lab/ipvsadm-save.js';

const DIR = 'test/fixtures/director/kernel-6.1';
const FORMATS: DirectorFormat[] = ['ipvsadm-save', 'ipvsadm-list', 'ipvsadm-connections', 'ipvsadm-timeout', 'proc-ip_vs', 'proc-ip_vs_conn', 'proc-ip_vs_stats', 'sysctl'];
const MUTATIONS_PER_FIXTURE = 200;
const SEED = 0x1f5;

/** mulberry32: small, seeded, the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE_NUMBERS = ['99999999999999999999999', '18446744073709551616', '-1', '-65536', '4294967296', '65536', '256', '999', 'NaN', '1e9', '0x1F', '', '١٢', '00000000000000000001', 'Infinity', '3.5'];
const CHARS = [' ', '\t', ':', '.', '[', ']', '-', ',', '(', ')', '0', '9', 'F', 'x', '\u0000', '\u00e9', '\r', '%', '\\'];

function mutate(text: string, rand: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const lines = text.split('\n');
  const at = (n: number): number => Math.floor(rand() * n);
  switch (at(9)) {
    case 0:
      lines.splice(at(lines.length), 1);
      return lines.join('\n');
    case 1: {
      const i = at(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 2: {
      const [i, j] = [at(lines.length), at(lines.length)];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 3: {
      const i = at(text.length);
      return text.slice(0, i) + pick(CHARS) + text.slice(i + 1);
    }
    case 4: {
      const i = at(text.length + 1);
      return text.slice(0, i) + pick(CHARS) + text.slice(i);
    }
    case 5: {
      const i = at(text.length);
      return text.slice(0, i) + text.slice(i + 1);
    }
    case 6:
    case 7: {
      const numbers = [...text.matchAll(/[0-9A-Fa-f]+/g)];
      if (numbers.length === 0) return text;
      const m = pick(numbers);
      return text.slice(0, m.index) + pick(GARBAGE_NUMBERS) + text.slice(m.index! + m[0].length);
    }
    default:
      return text.slice(0, at(text.length));
  }
}

interface Tally {
  mutations: number;
  calls: number;
  models: number;
  cleanErrors: number;
  crashes: string[];
}

/** A model must survive JSON (no NaN, no Infinity, no undefined where a value is due). */
function jsonSafe(value: unknown): boolean {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite number ${v}`);
    return v;
  }) !== undefined;
}

function call(tally: Tally, file: string, what: string, text: string, fn: () => unknown): unknown {
  tally.calls++;
  try {
    const result = fn();
    if (result !== null && result !== undefined) jsonSafe(result);
    tally.models++;
    return result;
  } catch (e) {
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (isHarnessError(e) && e.exitCode === 11 && new RegExp(`^${escaped}:\\d+: `).test(e.message)) {
      tally.cleanErrors++;
      return undefined;
    }
    if (tally.crashes.length < 5) tally.crashes.push(`${what} on ${JSON.stringify(text.slice(0, 300))}: ${e instanceof Error ? e.stack : String(e)}`);
    else tally.crashes.push(what);
    return undefined;
  }
}

describe('director parsers under fuzzing (mutations of the kernel fixtures)', function () {
  this.timeout(60_000);

  it('return a model or a file:line error for every mutation, never a crash', () => {
    const rand = prng(SEED);
    const tally: Tally = { mutations: 0, calls: 0, models: 0, cleanErrors: 0, crashes: [] };
    const started = Date.now();
    const fixtures = readdirSync(DIR).filter((f) => f !== 'versions.txt');
    for (const name of fixtures) {
      const original = readFileSync(path.join(DIR, name), 'utf8');
      for (let n = 0; n < MUTATIONS_PER_FIXTURE; n++) {
        let text = original;
        const rounds = 1 + Math.floor(rand() * 3);
        for (let r = 0; r < rounds; r++) text = mutate(text, rand);
        tally.mutations++;
        const file = `${name}~${n}`;
        call(tally, file, 'detectFormat', text, () => detectFormat(text));
        const detected = call(tally, file, 'parseDirectorText', text, () => parseDirectorText(text, file)) as Partial<DirectorSnapshot> | undefined;
        if (detected) call(tally, file, 'combine+listing', text, () => snapshotListing(combineReadings([detected], { kind: 'file', description: file })));
        for (const format of FORMATS) call(tally, file, `parseDirectorText(${format})`, text, () => parseDirectorText(text, file, format));
        call(tally, file, 'parseIpvsadmSave (--director-config)', text, () => parseIpvsadmSave(text, file));
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      fuzz: ${tally.mutations} mutations of ${fixtures.length} kernel fixtures, ${tally.calls} calls: ` +
        `${tally.models} models, ${tally.cleanErrors} clean file:line errors, ${tally.crashes.length} crashes, in ${seconds.toFixed(1)} s (seed ${SEED})`,
    );
    expect(tally.crashes, tally.crashes.slice(0, 5).join('\n\n')).to.deep.equal([]);
    expect(tally.cleanErrors).to.be.greaterThan(tally.mutations / 2);
  });
});
