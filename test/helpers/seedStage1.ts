import type { VideoProbe } from '../../src-main/contract/entities.js';
import { probeVideo } from '../../src-main/media/probe.js';
import type { Store } from '../../src-main/store/store.js';
import { syntheticProbe } from './syntheticCohort.js';

/**
 * A stage 1 result as the stage 1 job commits it, for tests of what follows stage 1 (reader
 * studies, reports) without running detection: a person-centred clip row (no file behind it),
 * the result with its segments, and the track overlay with the patient's box on every frame.
 * GENERATED, not a real detection. Segments are [startFrame, endFrame] inclusive on the 30 fps
 * timeline; the patient's box moves left to right across a 1280x720 frame.
 */
export function seedStage1Result(store: Store, videoId: number, segments: ReadonlyArray<readonly [number, number]>, file?: StoredClipFile): { analysisId: number; clipId: number } {
  const source = store.videos.get(videoId);
  const outputFrames = segments.reduce((n, [a, b]) => n + b - a + 1, 0);
  const sha = file?.sha256 ?? `c1${videoId.toString(16).padStart(62, '0')}`;
  const clip = store.videos.insert('test', {
    patientId: source.patientId, kind: 'person-centred', sourceVideoId: source.id, sha256: sha, vaultPath: file?.vaultPath ?? `videos/00/${sha}.mp4`,
    originalName: `${source.originalName} (person-centred).mp4`, originalPath: null, view: source.view, sizeBytes: file?.sizeBytes ?? 1000, probe: file?.probe ?? syntheticProbe(outputFrames / 30),
  });
  const frames = segments.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
  const boxes = frames.flatMap((f) => [100 + 4 * f, 200, 260 + 4 * f, 680]);
  const total = source.probe.frameCount ?? Math.round(source.probe.durationSec * 30);
  const result = {
    outputFrames, mode: 'pad', size: 224, selection: 'walker', patientTrackId: 1, patientTrackIds: [1], reason: 'generated for a test',
    coverage: { frames: total, detected: outputFrames, interpolated: 0, betweenDetections: 0, missing: total - outputFrames },
    segments: segments.map(([a, b], i) => ({
      startFrame: a, endFrame: b, startSec: a / 30, endSec: (b + 1) / 30, detected: b - a + 1, interpolated: 0,
      outputStartFrame: segments.slice(0, i).reduce((n, [x, y]) => n + y - x + 1, 0),
    })),
    detector: 'movenet-multipose', backend: 'cpu', stride: 1, fps: 30, sourceWidth: 1280, sourceHeight: 720, trackCount: 1, assessments: [],
    crops: { frames: [], canvas: [], visible: [] }, timings: { detectMs: 1, trackMs: 1, writeMs: 1, totalMs: 3 },
    outputVideoIds: [clip.id],
  };
  const overlay = { fps: 30, width: 1280, height: 720, frameCount: total, stride: 1, patientTrackId: 1, tracks: [{ id: 1, frames, boxes }], patientKeypoints: { frames: [], points: [] } };
  const analysis = store.analyses.insert('test', { videoId, stage: 1, jobId: null, params: {}, result, classifiedVideoId: clip.id, tracks: overlay });
  store.analyses.supersedeBefore('test', analysis);
  return { analysisId: analysis.id, clipId: clip.id };
}

/** A real clip file in the vault, to stand behind a seeded person-centred clip. */
export interface StoredClipFile {
  sha256: string;
  vaultPath: string;
  sizeBytes: number;
  probe: VideoProbe;
}

/** Copies a clip file into the vault (as stage 1 would its output) and probes it. */
export async function storeClipFile(store: Store, path: string): Promise<StoredClipFile> {
  const probe = await probeVideo(path);
  const stored = await store.vault.ingest(path);
  return { sha256: stored.sha256, vaultPath: stored.vaultPath, sizeBytes: stored.sizeBytes, probe };
}
