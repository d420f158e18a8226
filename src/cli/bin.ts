#!/usr/bin/env node
import { main } from './main.js';

// `lvs-harness … | head`: once the reader has gone, the rest of the report has nowhere to go, but the
// run's files and its exit code still matter. Any other stdout error stays fatal.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

process.exitCode = await main(process.argv.slice(2));
