import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import PatientPage from '../../../../src-renderer/views/patients/PatientPage.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job } from '../../../../src-main/contract/entities.js';
import { original } from '../../../helpers/reviewFixtures.js';
import { fakeExplanation, fakeTrainJob } from '../../../helpers/screeningFixtures.js';

afterEach(cleanup);

describe('the patient page’s screening verdict', () => {
  it('explains the patient’s verdict and asks again when a job of their video finishes', async () => {
    const listeners = new Set<(job: Job) => void>();
    const explains: any[] = [];
    const client = {
      call: vi.fn(async (method: string, request: any) => {
        switch (method) {
          case 'patients.get':
            return { patient: { id: 1, code: 'FAKE-001', name: null, sex: 'female', birthYear: 1950, diagnosis: 'ASD', notes: '', createdAt: 't', updatedAt: 't', videoCount: 1 }, videos: [{ ...original, patientCode: 'FAKE-001' }] };
          case 'screening.explain':
            explains.push(request);
            return { explanation: fakeExplanation(), reason: null, missing: null };
          case 'analyses.stage1':
          case 'analyses.stage2':
            return null;
          default:
            throw new Error(`unexpected ${method}`);
        }
      }),
      on: () => () => {},
    } as unknown as WalkScopeClient;
    const jobs = { jobs: [], onUpdate: (l: (job: Job) => void) => (listeners.add(l), () => listeners.delete(l)) };
    render(PatientPage, { client, jobs: jobs as any, code: 'FAKE-001' });
    const card = await screen.findByRole('region', { name: 'Screening by posture measures' });
    await within(card).findByText('Trunk lean 14.0 deg, norm 6.0 ± 3.0 deg: +2.7 SD');
    expect(explains).toEqual([{ code: 'FAKE-001' }]);
    for (const l of listeners) l(fakeTrainJob({ kind: 'measure', status: 'done', videoId: original.id, progress: 1 }));
    await waitFor(() => expect(explains).toHaveLength(2));
  });
});
