#!/usr/bin/env node
// The `sneakpipe` command. A committed file, so that `npm install` links the
// bin before the TypeScript is built (npm skips a bin whose file is missing).
import { setFlagsFromString } from 'node:v8';

// A small young generation (2 MB semi-spaces, V8's default grows them to 16 MB)
// before anything is allocated: the pipeline's objects either die at once or
// live as long as their batch, so a big nursery only holds garbage. Measured on
// `sneakpipe demo`: peak RSS about 25 % lower, throughput unchanged
// (docs/benchmarks.md). Workers started later inherit it.
setFlagsFromString('--max-semi-space-size=2');
await import('../dist/cli.js');
