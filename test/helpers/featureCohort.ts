import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Video } from '../../src-main/contract/entities.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import type { WalkScopeApp } from '../../src-main/services/walkscopeApp.js';
import { seedStage1Result, storeClipFile } from './seedStage1.js';
import { ok } from './tempApp.js';
import { clips, testVideo } from './testdata.js';

const run = promisify(execFile);

export interface FeatureCohortPatient {
  code: string;
  /** The INVENTED label: "ASD" patients walk mirrored, the others as filmed. */
  asd: boolean;
  videoId: number;
  clipId: number;
  stage1AnalysisId: number;
}

/**
 * A cohort FOR TESTS ONLY, not clinical data: one real side-view walker (the Sports2D clip) cut
 * into `patients` distinct clips (start times 0.2 s apart). The labels are invented and tied to
 * something a video model can see: the first half ("ASD") walk mirrored (hflip), the second half
 * ("not ASD") as filmed. Each clip is imported as the patient's video, and a square 64 px copy
 * stands in for its person-centred clip (a stage 1 result seeded without detection), so the
 * tiny feature backbone (8 x 64 px input) samples it as stage 2 would.
 */
export async function seedMirroredFeatureCohort(app: WalkScopeApp, folder: string, options: { patients: number; seconds: number; prefix?: string }): Promise<FeatureCohortPatient[]> {
  const { ffmpeg } = resolveFfmpeg();
  const out: FeatureCohortPatient[] = [];
  for (let i = 0; i < options.patients; i++) {
    const asd = i < options.patients / 2;
    const code = `${options.prefix ?? 'VF'}${String(i + 1).padStart(2, '0')}`;
    const start = (0.3 + 0.2 * i).toFixed(2);
    const original = join(folder, `${code}.mp4`);
    const square = join(folder, `${code}-square.mp4`);
    const flip = asd ? 'hflip,' : '';
    await run(ffmpeg, ['-y', '-loglevel', 'error', '-ss', start, '-t', String(options.seconds), '-i', testVideo(clips.sports2dH264), '-vf', `${flip}scale=320:180`, '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-r', '30', original]);
    await run(ffmpeg, ['-y', '-loglevel', 'error', '-i', original, '-vf', 'crop=180:180,scale=64:64', '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-r', '30', square]);
    ok(await app.call('patients.create', { code, diagnosis: asd ? 'ASD' : i % 2 ? 'LCS' : 'control' }));
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: code, source: { kind: 'path', path: original } })).video;
    const file = await storeClipFile(app.store, square);
    const frames = Math.round(file.probe.durationSec * 30);
    const seeded = seedStage1Result(app.store, video.id, [[0, frames - 1]], file);
    out.push({ code, asd, videoId: video.id, clipId: seeded.clipId, stage1AnalysisId: seeded.analysisId });
  }
  await app.runner.idle();
  return out;
}
