import { vi } from 'vitest';
import type { Job } from '../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../../src-renderer/lib/api/client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type FakeHandlers = Record<string, (request: any) => unknown>;

/**
 * A fake WalkScopeClient for component tests: each call is answered by the test's handler for
 * the method, else by the default, and recorded; `emit` pushes a job.updated event to the screen.
 */
export function recordingClient(handlers: FakeHandlers, defaults: FakeHandlers) {
  const requests: { method: string; request: any }[] = [];
  const listeners = new Set<(job: Job) => void>();
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      const handler = handlers[method] ?? defaults[method];
      if (!handler) throw new Error(`unexpected ${method}`);
      return handler(request);
    }),
    on: (name: string, listener: (job: Job) => void) => {
      if (name === 'job.updated') listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as WalkScopeClient;
  const emit = async (job: Job) => {
    for (const l of listeners) l(job);
    await Promise.resolve();
  };
  const of = (method: string) => requests.filter((r) => r.method === method).map((r) => r.request);
  return { client, requests, emit, of };
}
