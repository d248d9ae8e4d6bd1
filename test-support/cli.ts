import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `sneakpipe` bin. */
export const CLI = fileURLToPath(new URL('../packages/runners/dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `sneakpipe` process. */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once stderr or stdout matches (logs go to stderr). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process ends. */
  readonly done: Promise<CliResult>;
}

/** Starts the real CLI as a child process. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    // Any free metrics port: tests run many runners at once.
    env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'info', SNEAKPIPE_METRICS_PORT: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout.on('data', (d) => ((stdout += d), notify()));
  child.stderr.on('data', (d) => ((stderr += d), notify()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor(pattern, waitMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.match(pattern) ?? stdout.match(pattern);
          if (match) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(t);
            reject(new Error(`process ended before ${pattern}:\n${stderr.slice(-2000)}`));
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}:\n${stderr.slice(-2000)}`));
        }, waitMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs the real CLI to completion and collects its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<CliResult> {
  return startCli(args, env, timeoutMs).done;
}
