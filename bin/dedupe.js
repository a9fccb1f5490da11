#!/usr/bin/env node
// The binary only hands over to the compiled CLI, which owns argv, streams and the exit code.
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
