import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsInfrastructure } from './infrastructure.js';

/** What these helpers reach: a test file that imports this module needs it, and unit runs leave that file out (vitest.shared.ts). */
export const NEEDS = 'Airflow (from PyPI into .infra/airflow/venv)';

const envFile = fileURLToPath(new URL('../.infra/airflow.env', import.meta.url));

/** The `airflow` command of the project's Airflow venv (infra/airflow.sh installs it; `npm test` does it for you). */
export function airflowBin(): string {
  needsInfrastructure('Airflow');
  const bin = existsSync(envFile) ? /^AIRFLOW_BIN=(.*)$/m.exec(readFileSync(envFile, 'utf8'))?.[1] : undefined;
  if (!bin || !existsSync(bin)) {
    throw new Error('No Airflow for the tests: run `bash infra/airflow.sh install` (or `npm run infra:up`) first.');
  }
  return bin;
}

/** The Python of the same venv (imports `airflow`). */
export const airflowPython = () => join(dirname(airflowBin()), 'python');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (never throws on a non-zero exit: the result says). */
export function run(
  file: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The JSON document an `airflow … -o json` command printed (its last line that parses; warnings come before it). */
export function lastJson<T>(output: string): T {
  for (const line of output.trim().split('\n').reverse()) {
    if (!/^[[{]/.test(line)) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // a log line that starts like JSON
    }
  }
  throw new Error(`no JSON in the output:\n${output}`);
}
