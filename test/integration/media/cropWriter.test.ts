import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCrops, type CropFrame } from '../../../src-main/domain/cropPlan.js';
import { writePersonCentredClip } from '../../../src-main/media/cropWriter.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';

const { ffmpeg, ffprobe } = resolveFfmpeg();
let work: string;
let source: string;

/** One decoded RGB frame of a clip. */
function frameRgb(file: string, index: number, size: number): Buffer {
  return execFileSync(ffmpeg, ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: size * size * 3 + 1024 });
}

function probe(file: string): { width: number; height: number; r_frame_rate: string; nb_frames: string; pix_fmt: string; codec_name: string; duration: string } {
  return (JSON.parse(execFileSync(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_streams', '-print_format', 'json', file]).toString()) as { streams: never[] }).streams[0]!;
}

function plan(frames: number, geometry: Pick<CropFrame, 'canvas' | 'visible'>): CropFrame[] {
  return Array.from({ length: frames }, (_, frame) => ({ frame, interpolated: false, betweenDetections: false, box: { x1: 0, y1: 0, x2: 1, y2: 1 }, ...geometry }));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-cropwriter-'));
  source = join(work, 'halves.mp4');
  // 640 x 360 at 10 fps for 2 s: left half red, right half blue
  execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x360:r=10:d=2', '-f', 'lavfi', '-i', 'color=c=blue:s=320x360:r=10:d=2', '-filter_complex', 'hstack', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', source]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writePersonCentredClip', () => {
  it('places the visible part in the square and blacks out the rest (pad geometry), at 30 fps', async () => {
    const output = join(work, 'pad.mp4');
    // canvas x 160..480 (320 px) and y 0..320; visible x 250..390: in a 64 px output, columns 18..46
    const result = await writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 64, fps: 30, frames: plan(60, { canvas: { x: 160, y: 0, width: 320, height: 320 }, visible: { x: 250, y: 0, width: 140, height: 320 } }) });
    expect(result).toMatchObject({ frames: 60, decodedFrames: 60 });
    expect(probe(output)).toMatchObject({ codec_name: 'h264', width: 64, height: 64, r_frame_rate: '30/1', pix_fmt: 'yuv420p', nb_frames: '60' });
    const rgb = frameRgb(output, 30, 64);
    const px = (x: number, y: number) => [rgb[(y * 64 + x) * 3]!, rgb[(y * 64 + x) * 3 + 1]!, rgb[(y * 64 + x) * 3 + 2]!];
    const isBlack = ([r, g, b]: number[]) => r! < 40 && g! < 40 && b! < 40;
    const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
    const isBlue = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;
    for (const y of [5, 32, 58]) {
      expect(isBlack(px(8, y))).toBe(true);
      expect(isRed(px(24, y))).toBe(true);
      expect(isBlue(px(40, y))).toBe(true);
      expect(isBlack(px(56, y))).toBe(true);
    }
    expect(existsSync(`${output}.part.mp4`)).toBe(false);
  });

  it('writes only the planned frames, back to back', async () => {
    const output = join(work, 'segments.mp4');
    const frames = plan(60, { canvas: { x: 0, y: 0, width: 360, height: 360 }, visible: { x: 0, y: 0, width: 360, height: 360 } }).filter((f) => f.frame < 10 || f.frame >= 40);
    const result = await writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 32, fps: 30, frames });
    expect(result.frames).toBe(30);
    expect(probe(output).nb_frames).toBe('30');
  });

  it('decodes smaller when every crop is much larger than the output', async () => {
    const output = join(work, 'small.mp4');
    const result = await writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 64, fps: 30, frames: plan(10, { canvas: { x: 140, y: 0, width: 360, height: 360 }, visible: { x: 140, y: 0, width: 360, height: 360 } }) });
    expect(result.decodeScale).toBeLessThan(0.5);
    const rgb = frameRgb(output, 5, 64);
    expect(rgb[(32 * 64 + 10) * 3]!).toBeGreaterThan(180); // left: red
    expect(rgb[(32 * 64 + 54) * 3 + 2]!).toBeGreaterThan(180); // right: blue
  });

  it('a plan reaching past the end of the video is VIDEO_TRUNCATED, with nothing left behind', async () => {
    const output = join(work, 'past-end.mp4');
    const frames = plan(90, { canvas: { x: 0, y: 0, width: 360, height: 360 }, visible: { x: 0, y: 0, width: 360, height: 360 } });
    await expect(writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 32, fps: 30, frames })).rejects.toMatchObject({ code: 'VIDEO_TRUNCATED' });
    expect(readdirSync(work).filter((f) => f.startsWith('past-end'))).toEqual([]);
  });

  it('cancel: JOB_CANCELLED, both ffmpeg processes stopped, no file', async () => {
    const output = join(work, 'cancelled.mp4');
    const controller = new AbortController();
    const frames = plan(60, { canvas: { x: 0, y: 0, width: 360, height: 360 }, visible: { x: 0, y: 0, width: 360, height: 360 } });
    const writing = writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 32, fps: 30, frames, signal: controller.signal, onProgress: (done) => done === 5 && controller.abort() });
    await expect(writing).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(readdirSync(work).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });

  it('an encoder that cannot write (missing folder) is an error, not a hang', { timeout: 20_000 }, async () => {
    const output = join(work, 'no-such-folder', 'clip.mp4');
    const frames = plan(60, { canvas: { x: 0, y: 0, width: 360, height: 360 }, visible: { x: 0, y: 0, width: 360, height: 360 } });
    await expect(writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 32, fps: 30, frames })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(existsSync(join(work, 'no-such-folder'))).toBe(false);
  });

  it('follows a crop plan made from boxes (crop mode on a moving box)', async () => {
    const output = join(work, 'moving.mp4');
    const points = Array.from({ length: 60 }, (_, frame) => ({ frame, box: { x1: 100 + frame * 6, y1: 60, x2: 160 + frame * 6, y2: 300 }, score: 1, keypoints: [] }));
    const cropPlan = planCrops(points, { mode: 'crop', frameWidth: 640, frameHeight: 360, totalFrames: 60 });
    await writePersonCentredClip({ input: source, output, width: 640, height: 360, size: 64, fps: 30, frames: cropPlan.frames });
    // the box's centre crosses the red/blue border at frame (320 - 130) / 6 = 31.7: red at first, blue at the end
    expect(frameRgb(output, 2, 64)[(32 * 64 + 32) * 3]!).toBeGreaterThan(180);
    expect(frameRgb(output, 58, 64)[(32 * 64 + 32) * 3 + 2]!).toBeGreaterThan(180);
  });
});
