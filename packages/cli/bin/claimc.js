#!/usr/bin/env node
import { main } from '../dist/main.js';

// stdin is a getter: the stream is created only when a command reads `-`.
const io = { stdout: process.stdout, stderr: process.stderr, get stdin() { return process.stdin; }, env: process.env, cwd: process.cwd() };
process.exitCode = await main(process.argv.slice(2), io);
