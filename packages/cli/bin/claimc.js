#!/usr/bin/env node
import { main } from '../dist/main.js';

// A reader that stops early (`claimc … | head`) closes the pipe: end quietly, as other CLIs do, never with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
