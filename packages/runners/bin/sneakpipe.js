#!/usr/bin/env node
// The `sneakpipe` command. A committed file, so that `npm install` links the
// bin before the TypeScript is built (npm skips a bin whose file is missing).
await import('../dist/cli.js');
