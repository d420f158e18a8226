/**
 * Writes results/<run-id>/report.html when the run ends, from the results.json and observations.ndjson
 * the ResultsWriter (listed before it) has just closed: the page shows the files' figures.
 */
import { readFile, writeFile } from 'node:fs/promises';
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
  const lines = (await readFile(path.join(dir, 'observations.ndjson'), 'utf8').catch(() => '')).split('\n');
  const observations = lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ObservationRow);
  const file = path.join(dir, 'report.html');
  await writeFile(file, renderReportHtml(reportData(results, observations)));
  return file;
}
