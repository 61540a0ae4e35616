import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';

/** Where stage 1's contact sheets go, for a person to look at. */
export const sheets = resolve(import.meta.dirname, '../../output/prepare');

/** 12 frames spread over the clip (`frames` long), 6 x 2, as test/output/prepare/<png>. */
export function contactSheet(file: string, frames: number, png: string): void {
  mkdirSync(sheets, { recursive: true });
  const step = Math.max(1, Math.floor(frames / 12));
  execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', file, '-vf', `select='not(mod(n\\,${step}))',scale=160:160,tile=6x2`, '-frames:v', '1', join(sheets, png)]);
}
