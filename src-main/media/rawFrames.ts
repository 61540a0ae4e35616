import { spawn } from 'node:child_process';
import { resolveFfmpeg, type FfmpegPathOverrides } from './ffmpegPaths.js';

export interface RawFrameOptions {
  /** Source video file. */
  input: string;
  /** Output frame width and height in pixels after the filter chain. */
  width: number;
  height: number;
  /**
   * ffmpeg -vf filter chain that produces width x height frames, e.g.
   * `fps=30,scale=224:224:flags=bilinear`. Rotation metadata is applied by ffmpeg
   * before the chain (autorotate is on by default).
   */
  filters: string;
  /** Pixel format: rgb24 (3 bytes per pixel) unless a caller needs gray. */
  pixelFormat?: 'rgb24' | 'gray';
  /** Stops decoding and kills ffmpeg. */
  signal?: AbortSignal | undefined;
  ffmpegPaths?: FfmpegPathOverrides | undefined;
  /** Extra input options placed before -i (e.g. ['-ss', '2.0']). */
  inputArgs?: string[];
  /** Extra output options (e.g. ['-vsync', 'passthrough'] to keep every frame as decoded). */
  outputArgs?: string[];
}

export class FfmpegFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'FfmpegFailed';
  }
}

/**
 * Decodes a video as a stream of raw frames: one Buffer per frame, never the whole video
 * in memory (the pipe applies back-pressure while the consumer works). Throws
 * FfmpegFailed with the end of ffmpeg's log when ffmpeg exits with an error.
 */
export async function* readRawFrames(options: RawFrameOptions): AsyncGenerator<Buffer, void, undefined> {
  const { ffmpeg } = resolveFfmpeg(options.ffmpegPaths);
  const bytesPerPixel = options.pixelFormat === 'gray' ? 1 : 3;
  const frameBytes = options.width * options.height * bytesPerPixel;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(options.inputArgs ?? []),
    '-i', options.input,
    '-an', '-sn',
    '-vf', options.filters,
    ...(options.outputArgs ?? []),
    '-f', 'rawvideo', '-pix_fmt', options.pixelFormat ?? 'rgb24',
    'pipe:1',
  ];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= frameBytes) {
        const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        // Copy the frame out so the consumer may keep it after the next chunk arrives.
        yield Buffer.from(joined.subarray(0, frameBytes));
        const rest = joined.subarray(frameBytes);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
      }
    }
    const code = await exited;
    if (options.signal?.aborted) return;
    if (code !== 0) {
      throw new FfmpegFailed(`ffmpeg exited with code ${code} while decoding ${options.input}`, code, stderr.trim());
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
