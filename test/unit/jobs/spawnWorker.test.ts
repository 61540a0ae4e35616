import { test, expect } from 'vitest';
import { spawnWorker } from '../../../src-main/jobs/spawnWorker.js';

test('a TypeScript worker module starts and answers', async () => {
  const worker = spawnWorker(new URL('../../fixtures/workers/answerWorker.ts', import.meta.url));
  const answer = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  expect(answer).toBe(42);
});
