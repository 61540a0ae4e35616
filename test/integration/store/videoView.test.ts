import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src-main/store/store.js';
import { addSyntheticPatients, syntheticProbe } from '../../helpers/syntheticCohort.js';

/**
 * A person-centred clip is seen from where its original was filmed: setting the original's view
 * sets its clips' too, each change audited, and a clip's view is not set on its own. GENERATED
 * rows (no files): the view is bookkeeping.
 */
const work = mkdtempSync(join(tmpdir(), 'walkscope-view-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the camera view of an original and its clips', () => {
  it('follows the original, audited per video, and refuses to be set on a clip', async () => {
    const store = await Store.open({ dataDir: work, databaseKey: null });
    try {
      const [original] = addSyntheticPatients(store, [{ code: 'VIEW1', diagnosis: 'ASD', videos: 1 }]).get('VIEW1')!;
      const source = store.videos.get(original!);
      const clip = store.videos.insert('test', { patientId: source.patientId, kind: 'person-centred', sourceVideoId: source.id, sha256: 'c'.repeat(64), vaultPath: `videos/cc/${'c'.repeat(64)}.mp4`, originalName: 'VIEW1_0 (person-centred, pad 256).mp4', originalPath: null, view: source.view, sizeBytes: 10, probe: syntheticProbe(6) });
      expect(store.videos.setView('dr-a', source.id, 'frontal').view).toBe('frontal');
      expect(store.videos.get(clip.id).view).toBe('frontal');
      const changes = store.audit.list({ limit: 10 }).filter((e) => e.action === 'video.setView');
      expect(changes.map((e) => [e.entityId, e.before, e.after])).toEqual(
        expect.arrayContaining([
          [String(source.id), { view: 'sagittal' }, { view: 'frontal' }],
          [String(clip.id), { view: 'sagittal' }, { view: 'frontal' }],
        ]),
      );
      expect(changes).toHaveLength(2);
      // the same view again changes nothing and records nothing
      store.videos.setView('dr-a', source.id, 'frontal');
      expect(store.audit.list({ limit: 10 }).filter((e) => e.action === 'video.setView')).toHaveLength(2);
      expect(() => store.videos.setView('dr-a', clip.id, 'sagittal')).toThrow(`video ${clip.id} is a person-centred clip; set the view of its original, video ${source.id}`);
      expect(store.videos.get(clip.id).view).toBe('frontal');
    } finally {
      store.close();
    }
  });
});
