#!/usr/bin/env node
// Entry of the bundled server the VS Code extension starts (`node server.js --stdio`).
import { runStdioServer } from './node.js';

runStdioServer(process.stdin, process.stdout);
