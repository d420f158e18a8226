/**
 * Writes results/<run-id>/report.html when the run ends, from the results.json and observations.ndjson
 * the ResultsWriter (listed before it) has just closed: the page shows the files' figures.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import type { RunEvent } from '../model/events.js';
import { reportData, type ObservationRow, type ResultsDocument } from '../report/report-data.js';
import { renderReportHtml } from '../report/render-html.js';
import type { Reporter } from './reporter.js';

export class HtmlReportWriter implements Reporter {
  readonly name = 'html';
  private dir: string | null = null;

  onEvent(e: RunEvent): void {
    if (e.type === 'run:begin') this.dir = e.resultsDir;
  }

  async close(): Promise<void> {
    if (this.dir) await writeReport(this.dir);
  }
}

export async function writeReport(dir: string): Promise<string> {
  const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as ResultsDocument;
  const file = path.join(dir, 'report.html');
  await writeFile(file, renderReportHtml(reportData(results, ndjsonRows(path.join(dir, 'observations.ndjson')))));
  return file;
}

/** The rows of an ndjson file, read a chunk at a time (the file grows with every connection; the report must not). */
function* ndjsonRows(file: string): Generator<ObservationRow> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return;
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    const text = new StringDecoder('utf8');
    let rest = '';
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const lines = (rest + text.write(chunk.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as ObservationRow;
    }
    if (rest.trim() !== '') yield JSON.parse(rest) as ObservationRow;
  } finally {
    closeSync(fd);
  }
}
