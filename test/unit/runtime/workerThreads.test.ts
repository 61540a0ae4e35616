import { test, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { endWorker, siblingModule, spawnWorker } from '../../../src-main/runtime/workerThreads.js';

test('a TypeScript worker module starts and answers', async () => {
  const worker = spawnWorker(new URL('../../fixtures/workers/answerWorker.ts', import.meta.url));
  const answer = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  expect(answer).toBe(42);
});

test('a worker module is the sibling with the caller\'s extension: .ts in development, .js once built', () => {
  expect(siblingModule('file:///app/src-main/detect/detectVideo.ts', 'detectionWorker').href).toBe('file:///app/src-main/detect/detectionWorker.ts');
  expect(siblingModule('file:///app/out/main/detect/detectVideo.js', 'detectionWorker').href).toBe('file:///app/out/main/detect/detectionWorker.js');
});

test('endWorker asks the worker to close, waits for its answer, then terminates it; one that never answers is terminated after the grace time', async () => {
  // a worker that releases what it holds when asked, then says so
  const polite = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => { if (m.type === 'close') setTimeout(() => parentPort.postMessage({ type: 'closed', released: true }), 50); });`, { eval: true });
  const answers: unknown[] = [];
  polite.on('message', (m) => answers.push(m));
  let exited = false;
  polite.once('exit', () => (exited = true));
  const started = performance.now();
  await endWorker(polite, { type: 'close' }, (m) => (m as { type: string }).type === 'closed', 5000);
  expect(answers).toEqual([{ type: 'closed', released: true }]);
  expect(performance.now() - started).toBeLessThan(4000);
  await new Promise((r) => setImmediate(r));
  expect(exited).toBe(true);

  const deaf = new Worker(`setInterval(() => {}, 1000);`, { eval: true });
  const t0 = performance.now();
  await endWorker(deaf, { type: 'close' }, () => false, 200);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  expect(await deaf.terminate()).toBeUndefined(); // already gone
});
