import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import JobsPanel from '../../../../src-renderer/lib/components/JobsPanel.svelte';
import { dockFoldedKey as collapsedKey } from '../../../../src-renderer/lib/state/dockMemory.js';
import { JobsState } from '../../../../src-renderer/lib/state/jobs.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';

/** The jobs dock under every screen folds to one line, and stays folded on the next visit. */
function jobsState(): JobsState {
  const client = { call: async () => [], on: () => () => {} } as unknown as WalkScopeClient;
  return new JobsState(client);
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('the jobs dock', () => {
  it('folds to its header line and opens again, remembering the choice', async () => {
    const first = render(JobsPanel, { jobs: jobsState(), collapsible: true });
    const fold = screen.getByRole('button', { name: 'Hide jobs' });
    expect(fold.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
    await fireEvent.click(fold);
    expect(screen.queryByText(/No jobs yet/)).toBeNull();
    expect(screen.getByText('0 running or queued')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show jobs' }).getAttribute('aria-expanded')).toBe('false');
    expect(localStorage.getItem(collapsedKey)).toBe('true');
    first.unmount();

    render(JobsPanel, { jobs: jobsState(), collapsible: true });
    expect(screen.queryByText(/No jobs yet/)).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Show jobs' }));
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
    expect(localStorage.getItem(collapsedKey)).toBe('false');
  });

  it('never folds where it is not the dock (the Jobs screen), whatever was remembered', () => {
    localStorage.setItem(collapsedKey, 'true');
    render(JobsPanel, { jobs: jobsState() });
    expect(screen.queryByRole('button', { name: /jobs$/ })).toBeNull();
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
  });
});
