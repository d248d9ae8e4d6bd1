import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installPacked } from '@sneakpipe/test-support/packed-install';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('published packages', () => {
  it('npm pack of each package installs into a project outside the monorepo, imports, runs and type-checks', async () => {
    // As a user does: the four tarballs and the peers in one install — rxjs, zod, prom-client (for sneakers' metrics)
    // and the driver of each connector used (here DuckDB), at the versions the monorepo builds with.
    const { dir: app } = await installPacked(
      ['core', 'sneakers', 'connectors', 'runners'],
      ['rxjs', 'zod', 'prom-client', '@duckdb/node-api'],
    );
    writeFileSync(
      join(app, 'main.ts'),
      `import { batch, load, type Decoded } from '@sneakpipe/core';
import { DailyReportSchema, OrderEventGenerator, WAREHOUSE_TABLES, orderEventSink, type OrderEvent } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { from, lastValueFrom, map } from 'rxjs';

const warehouse = await DuckDbWarehouse.open({ path: ':memory:' }, { tables: WAREHOUSE_TABLES });
const generator = new OrderEventGenerator({ seed: 1 });
await lastValueFrom(
  from(Array.from({ length: 250 }, () => generator.draw()!)).pipe(
    map((value): Decoded<OrderEvent> => ({ ok: true, value, sizeBytes: 0 })),
    batch({ maxCount: 100 }),
    load(orderEventSink({ warehouse, group: 'packaging' })),
  ),
);
const [row] = await warehouse.query<{ N: bigint }>(\`SELECT COUNT(*) AS N FROM \${warehouse.table('STREAMING_ORDERS')}\`);
console.log(\`rows=\${row!.N} schema=\${typeof DailyReportSchema.parse}\`);
await warehouse.close();
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          skipLibCheck: false,
          // A Node project has Node's types; borrow the monorepo's rather than download them again.
          typeRoots: [join(root, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
    // Types resolve from the packages' exports maps (the monorepo's TypeScript, the app's node_modules).
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    expect(run(process.execPath, ['out/main.js'], app).trim()).toBe('rows=250 schema=function');
    expect(run(process.execPath, ['node_modules/.bin/sneakpipe', '--help'], app)).toMatch(/Usage: sneakpipe/);
    // Run as a program, as npm's link and npx run it: its shebang (`env -S node <V8 flag>`) must start node.
    const asProgram = execFileSync(join(app, 'node_modules/.bin/sneakpipe'), ['--version'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    });
    expect(asProgram.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 300_000);
});
