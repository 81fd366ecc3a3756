#!/usr/bin/env node
import { main } from '../dist/main.js';

// A reader that stops early (`claimc … | head`) closes the pipe: end quietly, as other CLIs do, never with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// stdin is a getter: the stream is created only when a command reads `-`.
const io = { stdout: process.stdout, stderr: process.stderr, get stdin() { return process.stdin; }, env: process.env, cwd: process.cwd() };
process.exitCode = await main(process.argv.slice(2), io);
