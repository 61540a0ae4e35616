/**
 * Worker threads for every layer that runs work off the calling thread (detection workers,
 * the stage 2 inference worker, job workers): how a worker module is found and started.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Starts a worker thread from a module URL. The built app ships compiled .js and starts it
 * directly. In development and tests the source is TypeScript: Node 20 ignores `--import`
 * in a worker's execArgv, so a two-line bootstrap registers tsx inside the worker first.
 */
export function spawnWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const tsxRoot = dirname(require.resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * Ends a worker that may be inside a native call: terminating a thread while onnxruntime runs
 * on it aborts the whole process, so the worker is first sent `request` (it finishes what it
 * is doing, releases its sessions and answers a message for which `isClosed` is true), then
 * terminated; one that neither answers nor exits within `graceMs` is terminated all the same.
 */
export async function endWorker(worker: Worker, request: unknown, isClosed: (message: unknown) => boolean, graceMs = 5000): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', done);
      resolve();
    };
    const onMessage = (message: unknown) => {
      if (isClosed(message)) done();
    };
    const timer = setTimeout(done, graceMs);
    worker.on('message', onMessage);
    worker.once('exit', done);
    try {
      worker.postMessage(request);
    } catch {
      done(); // the worker has gone already
    }
  });
  await worker.terminate();
}

/** Resolves a sibling module for a worker: `.ts` next to a `.ts` caller, `.js` once built. */
export function siblingModule(callerUrl: string, baseName: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}
