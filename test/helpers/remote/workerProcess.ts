import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/** A `walkscope worker` in a process of its own, with its stdout kept line by line. */
export interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first line that matches, among those printed from line `from` on (0: all of them, already printed or still to come). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function startWorkerProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/cli/main.ts'), 'worker', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let partial = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    lines,
    exited,
    stderr: () => errors,
    waitFor: (pattern, timeoutMs = 60_000, from = 0) => {
      const seen = lines.slice(from).find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${errors}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolvePromise(line)) });
      });
    },
  };
}
