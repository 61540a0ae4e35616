import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { fixedSizeFrames, spawnFfmpeg, stderrTailLength, type FrameMode } from '../../../src-main/media/ffmpegProcess.js';

/** The stream as chunks cut at the given offsets. */
async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
}

/** Every frame the chunker yields, copied at once (a reused buffer is overwritten by the next one). */
async function collect(bytes: AsyncIterable<Uint8Array>, frameBytes: number, mode: FrameMode): Promise<{ copies: number[][]; frames: Buffer[] }> {
  const copies: number[][] = [];
  const frames: Buffer[] = [];
  for await (const frame of fixedSizeFrames(bytes, frameBytes, mode)) {
    copies.push([...frame]);
    frames.push(frame);
  }
  return { copies, frames };
}

const { ffmpeg } = resolveFfmpeg();
/** ffmpeg writing `frames` raw gray frames of 4 x 2 (8 bytes each) to stdout. */
const grayFrames = (frames: number, rate = 25) => ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=gray:s=4x2:r=${rate}`, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'];
/** ffmpeg decoding an endless test source slowly (real time), so it is still running when killed. */
const endless = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'color=c=gray:s=4x2:r=25', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'];

describe('fixedSizeFrames', () => {
  const frameBytes = 5;
  const stream = Uint8Array.from({ length: 3 * frameBytes }, (_, i) => i);
  const expected = [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
    [10, 11, 12, 13, 14],
  ];

  for (const mode of ['fresh', 'reused'] as const) {
    it(`${mode}: the same three frames whatever offset one cut falls at, and whatever two cuts`, async () => {
      for (let cut = 0; cut <= stream.length; cut++) {
        expect((await collect(chunksOf(stream, [cut]), frameBytes, mode)).copies).toEqual(expected);
      }
      for (let a = 0; a <= stream.length; a++) {
        for (let b = a; b <= stream.length; b++) {
          expect((await collect(chunksOf(stream, [a, b]), frameBytes, mode)).copies).toEqual(expected);
        }
      }
    });

    it(`${mode}: one byte a chunk, and the whole stream in one chunk`, async () => {
      const bytewise = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
      expect((await collect(chunksOf(stream, bytewise), frameBytes, mode)).copies).toEqual(expected);
      expect((await collect(chunksOf(stream, []), frameBytes, mode)).copies).toEqual(expected);
    });

    it(`${mode}: a stream ending mid-frame gives the whole frames only`, async () => {
      for (const extra of [1, 2, 4]) {
        const cutOff = stream.subarray(0, 2 * frameBytes + extra);
        expect((await collect(chunksOf(cutOff, [3, 7]), frameBytes, mode)).copies).toEqual(expected.slice(0, 2));
      }
      expect((await collect(chunksOf(stream.subarray(0, 4), [2]), frameBytes, mode)).copies).toEqual([]);
    });
  }

  it('fresh: every frame has its own memory of exactly one frame (transferable), kept after the next', async () => {
    const { copies, frames } = await collect(chunksOf(stream, [7]), frameBytes, 'fresh');
    expect(frames.map((f) => [...f])).toEqual(copies);
    for (const f of frames) {
      expect(f.byteOffset).toBe(0);
      expect(f.buffer.byteLength).toBe(frameBytes);
    }
    expect(new Set(frames.map((f) => f.buffer)).size).toBe(3);
  });

  it('reused: one buffer for every frame', async () => {
    const { frames } = await collect(chunksOf(stream, [7]), frameBytes, 'reused');
    expect(frames).toHaveLength(3);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    expect([...frames[0]!]).toEqual(expected[2]); // holds the last frame
  });

  it('refuses a frame size that is not a whole number of bytes of at least 1', async () => {
    for (const size of [0, -5, 2.5, Number.NaN]) {
      await expect(collect(chunksOf(stream, []), size, 'fresh')).rejects.toThrow(`a frame must be a whole number of bytes of at least 1, not ${size}`);
    }
  });
});

describe('spawnFfmpeg', () => {
  it('a run to its end: the frames on stdout, exit code 0, an empty stderr tail, not running', async () => {
    const run = spawnFfmpeg(ffmpeg, grayFrames(7), { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run.running).toBe(true);
    const { copies } = await collect(run.output(), 8, 'fresh');
    expect(copies).toHaveLength(7);
    expect(copies[0]).toHaveLength(8);
    expect(await run.exited).toBe(0);
    expect(run.running).toBe(false);
    expect(run.spawnError).toBeUndefined();
    expect(run.stderrTail).toBe('');
  });

  it(`keeps exactly the last ${stderrTailLength} characters of stderr`, async () => {
    // showinfo logs a few lines for every frame: about 20 000 characters for 60 frames
    const run = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', 'color=c=gray:s=4x2:r=25', '-frames:v', '60', '-vf', 'showinfo', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let whole = '';
    run.child.stderr!.on('data', (chunk: string) => (whole += chunk));
    expect(await run.exited).toBe(0);
    expect(whole.length).toBeGreaterThan(3 * stderrTailLength);
    expect(run.stderrTail).toHaveLength(stderrTailLength);
    expect(run.stderrTail).toBe(whole.slice(-stderrTailLength));
  });

  it('a stderr shorter than the tail is kept whole', async () => {
    const run = spawnFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', '/no/such/file.mp4'], { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(await run.exited).toBe(1);
    expect(run.stderrTail).toBe('/no/such/file.mp4: No such file or directory\n');
  });

  it('a signal already aborted kills the child at once: nothing on stdout, ended by SIGKILL', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = spawnFfmpeg(ffmpeg, endless, { stdio: ['ignore', 'pipe', 'pipe'], signal: controller.signal });
    const { copies } = await collect(run.output(), 8, 'reused');
    expect(await run.exited).toBeNull();
    expect(run.child.signalCode).toBe('SIGKILL');
    expect(copies).toEqual([]); // killed before it could open its input
    expect(run.stderrTail).toBe('');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an abort during the run kills the child', async () => {
    const controller = new AbortController();
    const run = spawnFfmpeg(ffmpeg, endless, { stdio: ['ignore', 'pipe', 'pipe'], signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    let frames = 0;
    for await (const _ of fixedSizeFrames(run.output(), 8, 'reused')) {
      frames++;
      if (frames === 3) controller.abort();
    }
    expect(frames).toBeGreaterThanOrEqual(3);
    expect(frames).toBeLessThan(10); // 25 frames a second in real time: the kill came long before an end
    expect(await run.exited).toBeNull();
    expect(run.child.signalCode).toBe('SIGKILL');
    expect(run.running).toBe(false);
  });

  it('a run that ends by itself lets go of the signal (no listener left behind)', async () => {
    const controller = new AbortController();
    const run = spawnFfmpeg(ffmpeg, grayFrames(2), { stdio: ['ignore', 'ignore', 'pipe'], signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await run.exited).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stop() kills a running child and does nothing to one that has ended', async () => {
    const run = spawnFfmpeg(ffmpeg, endless, { stdio: ['ignore', 'ignore', 'pipe'] });
    run.stop();
    expect(await run.exited).toBeNull();
    expect(run.child.signalCode).toBe('SIGKILL');
    run.stop(); // already ended: no error
    const done = spawnFfmpeg(ffmpeg, grayFrames(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(await done.exited).toBe(0);
    done.stop();
    expect(done.child.signalCode).toBeNull();
  });

  it('a binary that cannot start: the exit resolves (never rejects) and the spawn error is reported', async () => {
    const run = spawnFfmpeg('/no/such/ffmpeg', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(await run.exited).toBe(-2); // Node's code for ENOENT
    expect(run.spawnError).toMatchObject({ code: 'ENOENT' });
    expect(run.running).toBe(false);
  });

  it('names the descriptor that is not a pipe', () => {
    const run = spawnFfmpeg(ffmpeg, grayFrames(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(() => run.output()).toThrow(`descriptor 1 of ${ffmpeg} is not a pipe`);
    expect(() => run.input()).toThrow(`descriptor 0 of ${ffmpeg} is not a pipe`);
    return run.exited;
  });
});
