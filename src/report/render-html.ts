/**
 * report.html: one self-contained page (Chart.js, the page script and the data inlined) that opens from
 * disk with no network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CURVE_PERCENTILES, type ReportData } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';

const load = createRequire(import.meta.url);
let chartJs: string | null = null;

/** Chart.js's UMD build (beside the entry its package exports), read once. */
function chartLibrary(): string {
  chartJs ??= readFileSync(path.join(path.dirname(load.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

/** JSON inside <script>: nothing in it may close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
.status.pass, .outcome.passed { color: #1a7f37; font-weight: bold; }
.status.fail, .status.error, .outcome.failed { color: #cf222e; font-weight: bold; }
.outcome { font-size: 0.8em; }
table.matrix td.cell { width: 12px; height: 12px; padding: 0; font-size: 9px; text-align: center; color: #fff; }
table.matrix td, table.matrix th { font-size: 10px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; }
pre.ab { background: #f6f8fa; padding: 0.5em; overflow-x: auto; }
`;

export function renderReportHtml(data: ReportData): string {
  const title = `lvs-harness run ${data.runId}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}: <span class="outcome ${escapeHtml(data.outcome)}" id="run-outcome">${escapeHtml(data.outcome)}</span></h1>
<p>Started ${escapeHtml(data.startedAt)}; exit code ${data.exitCode ?? '-'}.</p>
<div id="report"></div>
<script type="application/json" id="report-data">${scriptJson({ ...data, percentiles: CURVE_PERCENTILES })}</script>
<script>${chartLibrary().replace(/<\/script/gi, '<\\/script')}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
