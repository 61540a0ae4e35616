import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The shared real clips live beside the project (../shared/testdata), never inside it.
 * WALKSCOPE_TESTDATA overrides the folder. Tests that need them call `testdataOrSkip`
 * and skip with a printed notice when the folder is absent, so a fresh clone still passes.
 */
export const testdataDir = resolve(process.env.WALKSCOPE_TESTDATA ?? resolve(import.meta.dirname, '../../../shared/testdata'));

export const hasTestdata = existsSync(resolve(testdataDir, 'videos'));

export function testVideo(name: string): string {
  return resolve(testdataDir, 'videos', name);
}

export function testPhoto(name: string): string {
  return resolve(testdataDir, 'photos', name);
}

let noticePrinted = false;
/** True when the real clips are present; otherwise prints one notice and returns false. */
export function requireTestdata(): boolean {
  if (hasTestdata) return true;
  if (!noticePrinted) {
    console.warn(`[walkscope tests] real clips not found at ${testdataDir}: tests that need them are skipped.`);
    noticePrinted = true;
  }
  return false;
}

export const clips = {
  sports2dVp9: 'sports2d_demo_sideview_walk_2people.mp4',
  sports2dH264: 'sports2d_demo_sideview_walk_2people_h264_720p.mp4',
  intelBackview10fps: 'intel_single_person_backview_enter_stand_exit_15s.mp4',
  intelWorker15fps: 'intel_worker_walking_away_backview.mp4',
  intelEmptyRoom: 'intel_empty_room_noperson_5s.mp4',
} as const;
