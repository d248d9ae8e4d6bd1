#!/usr/bin/env -S node --max-semi-space-size=2
// The `sneakpipe` command. A committed file, so that `npm install` links the
// bin before the TypeScript is built (npm skips a bin whose file is missing).
//
// A small young generation (2 MB semi-spaces; V8's default grows them to
// 16 MB): the pipeline's objects either die at once or live as long as their
// batch, so a big nursery only holds garbage: a lower peak RSS at the same
// throughput (docs/benchmarks.md). The flag works fully only on the command
// line — the shebang above when the bin is run as a program (npm's link,
// `npx`), the image's entrypoint. Run as `node bin/sneakpipe.js`, setting it
// here still reaches the threads started later, not the main thread's heap;
// add `--max-semi-space-size=2` or NODE_OPTIONS for the rest.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-semi-space-size=2');
await import('../dist/cli.js');
