/**
 * What the review tests share: one original video with its person-centred clip, stage 1, tracks
 * and stage 2, and fake clocks for <video> elements (jsdom has no media pipeline).
 */
import { afterAll, beforeAll } from 'vitest';
import type { Job, Stage1Summary, Stage2Result, TrackOverlay, Video } from '../../src-main/contract/entities.js';

export const probe = { container: 'mp4', codec: 'h264', pixelFormat: 'yuv420p', width: 1280, height: 720, displayWidth: 1280, displayHeight: 720, rotation: 0, durationSec: 7.7, avgFps: 30, realFps: 30, variableFrameRate: false, frameCount: 231, bitRate: null, hasAudio: false, audioCodec: null };
export const original: Video = { id: 3, patientCode: 'WS-0001', kind: 'original', sourceVideoId: null, sha256: 'a'.repeat(64), originalName: 'walk.mp4', view: 'sagittal', sizeBytes: 1000, importedAt: '2026-11-28T06:00:00Z', recordedOn: '2026-11-27', recordedOnSource: 'container', probe, hasThumbnail: false };
export const clip: Video = { ...original, id: 8, kind: 'person-centred', sourceVideoId: 3, originalName: 'walk (person-centred, pad 512).mp4', probe: { ...probe, width: 512, height: 512, displayWidth: 512, displayHeight: 512, durationSec: 4, frameCount: 120 } };
// the patient is in view on timeline frames 30-89 (1-3 s) and 150-209 (5-7 s): clip frames 0-59 and 60-119
export const stage1: Stage1Summary = {
  analysisId: 11, videoId: 3, createdAt: 't', mode: 'pad', size: 512, selection: 'walker', patientTrackId: 2, reason: 'walks the furthest', outputVideoIds: [8],
  coverage: { frames: 231, detected: 120, interpolated: 0, missing: 111 },
  segments: [{ startFrame: 30, endFrame: 89, startSec: 1, endSec: 3 }, { startFrame: 150, endFrame: 209, startSec: 5, endSec: 7 }],
  detector: 'movenet-multipose', backend: 'wasm', trackCount: 2, seconds: 12,
};
export const tracks: TrackOverlay = {
  fps: 30, width: 1280, height: 720, frameCount: 231, patientTrackId: 2,
  tracks: [
    { id: 1, frames: [0, 1], boxes: [10, 10, 100, 300, 12, 10, 102, 300] },
    { id: 2, frames: [30, 31, 32], boxes: [500, 100, 600, 500, 501, 100, 601, 500, 502, 100, 602, 500] },
  ],
  patientKeypoints: { frames: [], points: [] },
};

// stage 2 classified the person-centred clip: two 2 s clips of its 4 s
export const stage2: Stage2Result = {
  analysisId: 12, videoId: 3, classifiedVideoId: 8, createdAt: 't',
  model: { id: 'tiny', name: 'tiny test model', version: '0.0.1', sha256: 'b'.repeat(64), validated: false }, researchOnly: true,
  provider: 'cpu', aggregation: 'mean', threshold: 0.5, videoScore: 0.6, verdict: 'ASD',
  clips: [{ index: 0, startSec: 0, endSec: 2, probabilityAsd: 0.7 }, { index: 1, startSec: 2, endSec: 4, probabilityAsd: 0.5 }],
  appVersion: '0.1.0', preprocessing: {}, seconds: 1,
};

export function job(fields: Partial<Job>): Job {
  return { id: 40, kind: 'stage1', status: 'queued', videoId: 3, progress: 0, message: 'Waiting', messagePhrase: null, error: null, attempts: 0, runId: null, createdAt: 't', startedAt: null, finishedAt: null, etaSec: null, ...fields };
}

// Each <video> gets a fake clock (time, paused, rate) the tests move by hand.
interface FakeClock {
  t: number;
  paused: boolean;
  rate: number;
}
const clocks = new WeakMap<HTMLMediaElement, FakeClock>();
const clockOf = (el: HTMLMediaElement): FakeClock => {
  let c = clocks.get(el);
  if (!c) clocks.set(el, (c = { t: 0, paused: true, rate: 1 }));
  return c;
};
const fakes: Record<string, PropertyDescriptor> = {
  currentTime: { configurable: true, get(this: HTMLMediaElement) { return clockOf(this).t; }, set(this: HTMLMediaElement, v: number) { clockOf(this).t = v; } },
  paused: { configurable: true, get(this: HTMLMediaElement) { return clockOf(this).paused; } },
  playbackRate: { configurable: true, get(this: HTMLMediaElement) { return clockOf(this).rate; }, set(this: HTMLMediaElement, v: number) { clockOf(this).rate = v; } },
  play: { configurable: true, writable: true, value(this: HTMLMediaElement) { clockOf(this).paused = false; return Promise.resolve(); } },
  pause: { configurable: true, writable: true, value(this: HTMLMediaElement) { clockOf(this).paused = true; } },
  load: { configurable: true, writable: true, value() {} },
};

/** Gives every HTMLMediaElement of the test file a fake clock (before all its tests; restored after). */
export function useFakeMediaClocks(): void {
  const proto = HTMLMediaElement.prototype;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  beforeAll(() => {
    for (const [name, descriptor] of Object.entries(fakes)) {
      saved.set(name, Object.getOwnPropertyDescriptor(proto, name));
      Object.defineProperty(proto, name, descriptor);
    }
  });
  afterAll(() => {
    for (const [name, descriptor] of saved) if (descriptor) Object.defineProperty(proto, name, descriptor);
  });
}
