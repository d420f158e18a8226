#!/usr/bin/env node
import { main } from './main.js';

// `lvs-harness … | head` (or `2>&1 | head`): once the reader has gone, the rest of the text has
// nowhere to go, but the run's files and its exit code still matter. Any other error stays fatal.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
