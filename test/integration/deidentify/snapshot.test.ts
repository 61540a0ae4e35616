import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Video } from '../../../src-main/contract/entities.js';
import { readRawFrames } from '../../../src-main/media/rawFrames.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { pngSize, snapshotFileName } from '../../../src-main/services/deidentifyService.js';
import { seedStage1Result } from '../../helpers/seedStage1.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The review screen's snapshot as the back end makes it (`videos.snapshot`): the frame of the
 * real 1280x720 Sports2D clip (real ffmpeg) at a time of the clock as a PNG, the heads on it
 * blurred by default. Stage 1 is seeded (GENERATED: the patient's box moving across the frame,
 * test/helpers/seedStage1.ts) rather than run, so the heads to blur are known exactly.
 */
type Snapshot = { fileName: string; mimeType: string; contentBase64: string; width: number; height: number; frame: number; blurredHeads: number };

describe.runIf(requireTestdata())('the snapshot of a paused frame (Sports2D walker as a test patient)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let work: string;
  let video: Video;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-snapshot-'));
    ({ app, dispose } = await openTempApp());
    ok(await app.call('patients.create', { code: 'SNAP-PATIENT-7' }));
    video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'SNAP-PATIENT-7', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
  }, 120_000);
  afterAll(async () => {
    await dispose?.();
    rmSync(work, { recursive: true, force: true });
  });

  const rgb = async (png: Buffer) => {
    const file = join(work, `snap-${Math.random().toString(36).slice(2)}.png`);
    writeFileSync(file, png);
    for await (const frame of readRawFrames({ input: file, width: 1280, height: 720, filters: 'null' })) return frame;
    throw new Error('no picture in the PNG');
  };

  it('refuses to blur before stage 1 has found the heads, in words; the plain frame needs no analysis', async () => {
    expect(await app.call('videos.snapshot', { id: video.id, timeSec: 3, blurFaces: true })).toMatchObject({ ok: false, error: { code: 'DEIDENTIFY_NEEDS_ANALYSIS' } });
    const plain = ok<Snapshot>(await app.call('videos.snapshot', { id: video.id, timeSec: 3, blurFaces: false }));
    expect([plain.width, plain.height, plain.frame, plain.blurredHeads]).toEqual([1280, 720, 90, 0]);
  });

  it('makes a PNG of the frame at the video’s size, heads blurred, named without the patient, audited as an export', async () => {
    seedStage1Result(app.store, video.id, [[0, 200]]);
    const blurred = ok<Snapshot>(await app.call('videos.snapshot', { id: video.id, timeSec: 3, blurFaces: true }));
    const plain = ok<Snapshot>(await app.call('videos.snapshot', { id: video.id, timeSec: 3, blurFaces: false }));
    expect(blurred.fileName).toMatch(/^walkscope-snapshot-\d{4}-\d{2}-\d{2}-3\.000s\.png$/);
    expect(blurred.fileName).not.toContain('SNAP');
    expect(blurred.mimeType).toBe('image/png');
    expect([blurred.width, blurred.height, blurred.frame, blurred.blurredHeads]).toEqual([1280, 720, 90, 1]);
    const bytes = Buffer.from(blurred.contentBase64, 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // the one head on frame 90 (from the top of the seeded box): changed inside, untouched far from it
    const [head] = app.services.deidentify.headsOnFrame(video.id, 90);
    const [a, b] = await Promise.all([rgb(Buffer.from(plain.contentBase64, 'base64')), rgb(bytes)]);
    let inside = 0;
    let insideChanged = 0;
    let outside = 0;
    let outsideChanged = 0;
    for (let y = 0; y < 720; y++) {
      for (let x = 0; x < 1280; x++) {
        const d = ((x - head!.cx) / head!.rx) ** 2 + ((y - head!.cy) / head!.ry) ** 2;
        const i = (y * 1280 + x) * 3;
        const changed = a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2];
        if (d <= 0.8) {
          inside++;
          if (changed) insideChanged++;
        } else if (d > 2) {
          outside++;
          if (changed) outsideChanged++;
        }
      }
    }
    console.log(`[snapshot] head at (${head!.cx.toFixed(0)}, ${head!.cy.toFixed(0)}) radii ${head!.rx.toFixed(0)} x ${head!.ry.toFixed(0)}: ${insideChanged} of ${inside} pixels changed inside, ${outsideChanged} of ${outside} outside`);
    expect(insideChanged / inside).toBeGreaterThan(0.5);
    expect(outsideChanged).toBe(0);

    // newest first: this test's plain and blurred snapshots, then the first test's plain one
    const entries = app.store.audit.list({ entity: 'video', entityId: video.id }).filter((e) => e.action === 'video.export');
    expect(entries.map((e) => e.after)).toEqual([
      { what: 'snapshot', timeSec: 3, frame: 90, blurFaces: false, blurredHeads: 0, fileName: plain.fileName },
      { what: 'snapshot', timeSec: 3, frame: 90, blurFaces: true, blurredHeads: 1, fileName: blurred.fileName },
      { what: 'snapshot', timeSec: 3, frame: 90, blurFaces: false, blurredHeads: 0, fileName: plain.fileName },
    ]);
  }, 120_000);
});

describe('the snapshot’s name and size', () => {
  it('names the file after the local day and the time in the video only', () => {
    expect(snapshotFileName(new Date(2026, 4, 1, 23, 59, 30), 3.0333333)).toBe('walkscope-snapshot-2026-05-01-3.033s.png');
    expect(snapshotFileName(new Date(2026, 11, 31, 0, 0), 0)).toBe('walkscope-snapshot-2026-12-31-0.000s.png');
  });

  it('reads the width and height from a PNG header and refuses what is not one', () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d4948445200000500000002d0', 'hex');
    expect(pngSize(header)).toEqual({ width: 1280, height: 720 });
    expect(() => pngSize(Buffer.from('not a png at all, not at all'))).toThrow('ffmpeg did not write a PNG');
  });
});
