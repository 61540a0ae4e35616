import { test, expect } from 'vitest';
import { siblingModule, spawnWorker } from '../../../src-main/runtime/workerThreads.js';

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
