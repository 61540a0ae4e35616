import { spawn } from 'node:child_process';

export interface ProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kills the child with SIGKILL after this long; the result then has `signal` set. */
  timeoutMs?: number;
}

/**
 * Runs a program to its end without blocking the test worker's event loop.
 *
 * Tests use this instead of spawnSync/execFileSync for anything that can take tens of seconds
 * (Python with torch, a WebGPU child, a build): vitest's worker answers its RPC from the event
 * loop, and a loop blocked for over 60 s fails the run with "Timeout calling onTaskUpdate".
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
