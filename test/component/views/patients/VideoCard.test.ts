import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import VideoCard from '../../../../src-renderer/views/patients/VideoCard.svelte';
import type { Video } from '../../../../src-main/contract/entities.js';
import { syntheticProbe } from '../../../helpers/syntheticCohort.js';

/** A person-centred clip's card: named after its original, its view shown and not editable. */
const original = { id: 5, patientCode: 'W1', kind: 'original', sourceVideoId: null, sha256: 'a'.repeat(64), originalName: 'corridor walk.mp4', view: 'sagittal', sizeBytes: 1000, importedAt: '2026-12-02T09:00:00.000Z', recordedOn: null, recordedOnSource: null, probe: syntheticProbe(8), hasThumbnail: true } satisfies Video;
const clip = { ...original, id: 9, kind: 'person-centred', sourceVideoId: 5, sha256: 'b'.repeat(64), originalName: 'corridor walk (person-centred, pad 256).mp4' } satisfies Video;

afterEach(() => cleanup());

describe('video cards', () => {
  it('names a clip after the original it was made from, and shows its view without a menu', () => {
    render(VideoCard, { video: clip, source: original, thumbnail: null, onViewChange: () => {} });
    expect(screen.getByText('Person-centred clip of corridor walk.mp4').getAttribute('title')).toBe('Stage 1 made it from corridor walk.mp4 (video 5)');
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.getByText('sagittal')).toBeTruthy();
  });

  it('keeps the view menu on an original', () => {
    render(VideoCard, { video: original, thumbnail: null, onViewChange: () => {} });
    expect(screen.getByRole('combobox', { name: 'Camera view of corridor walk.mp4' })).toBeTruthy();
  });
});
