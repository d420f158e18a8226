/**
 * JUnit XML for CI servers: one <testsuite> per suite, one <testcase> per check verdict. A failed
 * check is a <failure>, a plugin fault an <error>; a suite that never got to its checks (unreachable,
 * aborted) gets one failing testcase saying so, so the CI server never shows it green.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EventOf, RunEvent } from '../model/events.js';
import type { Reporter } from './reporter.js';

export class JunitReporter implements Reporter {
  readonly name = 'junit';
  private readonly suites: EventOf<'suite:end'>[] = [];
  private runError: EventOf<'run:end'>['error'] = null;

  constructor(private readonly file: string) {}

  onEvent(e: RunEvent): void {
    if (e.type === 'suite:end') this.suites.push(e);
    if (e.type === 'run:end') this.runError = e.error;
  }

  async close(): Promise<void> {
    await mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    await writeFile(this.file, toJunitXml(this.suites, this.runError));
  }
}

export function toJunitXml(suites: readonly EventOf<'suite:end'>[], runError: EventOf<'run:end'>['error']): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const blocks: string[] = [];
  for (const s of suites) {
    const cases = s.verdicts.map((v) => {
      const name = attr(v.check);
      const detail = [`expected: ${v.expected}`, `seen: ${v.seen}`, ...v.examples.map((x) => `e.g. ${x.client}: ${x.detail}`)].join('\n');
      if (v.status === 'fail') return `    <testcase classname="${attr(s.suite)}" name="${name}"><failure message="${attr(v.seen)}">${text(detail)}</failure></testcase>`;
      if (v.status === 'error') return `    <testcase classname="${attr(s.suite)}" name="${name}"><error message="${attr(v.seen)}">${text(detail)}</error></testcase>`;
      return `    <testcase classname="${attr(s.suite)}" name="${name}"/>`;
    });
    if (s.outcome === 'unreachable' || s.outcome === 'aborted') {
      cases.push(`    <testcase classname="${attr(s.suite)}" name="run"><failure message="${s.outcome}">suite ${s.outcome}</failure></testcase>`);
    }
    const f = cases.filter((c) => c.includes('<failure')).length;
    const er = cases.filter((c) => c.includes('<error')).length;
    tests += cases.length;
    failures += f;
    errors += er;
    blocks.push(
      `  <testsuite name="${attr(s.suite)}" tests="${cases.length}" failures="${f}" errors="${er}" time="${(s.durationMs / 1000).toFixed(3)}">`,
      ...cases,
      '  </testsuite>',
    );
  }
  if (runError) {
    tests++;
    errors++;
    blocks.push(
      `  <testsuite name="lvs-harness" tests="1" failures="0" errors="1">`,
      `    <testcase classname="lvs-harness" name="${attr(runError.code)}"><error message="${attr(runError.message)}">${text(runError.hint ?? '')}</error></testcase>`,
      '  </testsuite>',
    );
  }
  out.push(`<testsuites name="lvs-harness" tests="${tests}" failures="${failures}" errors="${errors}">`, ...blocks, '</testsuites>', '');
  return out.join('\n');
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
