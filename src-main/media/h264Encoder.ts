import { AppError } from '../contract/errors.js';
import { spawnFfmpeg, type FfmpegProcess } from './ffmpegProcess.js';

/**
 * What both clip writers (the person-centred clip, the de-identified export) give the H.264
 * encoder that takes their raw yuv420p frames on stdin: its arguments, and the wait for its
 * pipe. The frames come from a pipe, so nothing of the source container (audio, metadata,
 * chapters) can reach the file; `bitexact` also leaves out the muxer's version and creation time.
 */
export interface H264EncoderArgs {
  width: number;
  height: number;
  fps: number;
  output: string;
  preset: string;
  crf: number;
  /** Leave out the encoder and muxer version tags and the creation time (the de-identified export). */
  bitexact?: boolean;
}

export function h264EncoderArgs(o: H264EncoderArgs): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${o.width}x${o.height}`, '-framerate', String(o.fps), '-i', 'pipe:0',
    '-an', '-sn', '-dn', '-map_metadata', '-1', '-map_chapters', '-1',
    '-c:v', 'libx264', '-preset', o.preset, '-crf', String(o.crf),
    ...(o.bitexact ? ['-fflags', '+bitexact', '-flags:v', '+bitexact'] : []),
    '-pix_fmt', 'yuv420p', '-r', String(o.fps), '-movflags', '+faststart', '-f', 'mp4', o.output,
  ];
}

/** Resolves when the encoder's stdin can take more, or the encoder or its stdin has gone. */
export function drained(encoder: FfmpegProcess): Promise<void> {
  return new Promise((resolve) => {
    const stdin = encoder.input();
    if (stdin.destroyed || !encoder.running) {
      resolve();
      return;
    }
    const done = () => {
      stdin.off('drain', done);
      stdin.off('close', done);
      stdin.off('error', done);
      encoder.child.off('exit', done);
      resolve();
    };
    stdin.once('drain', done);
    stdin.once('close', done);
    stdin.once('error', done);
    encoder.child.once('exit', done);
  });
}

/**
 * The encoder of a clip writer: an ffmpeg taking raw yuv420p frames on stdin. Remembers a broken
 * pipe (the encoder died) so the writer stops feeding it, and turns its end into AppErrors that
 * keep ffmpeg's last words as the cause.
 */
export class H264Encoder {
  readonly process: FfmpegProcess;
  private broken: Error | undefined;

  constructor(ffmpeg: string, args: H264EncoderArgs, signal: AbortSignal | undefined) {
    this.process = spawnFfmpeg(ffmpeg, h264EncoderArgs(args), { stdio: ['pipe', 'ignore', 'pipe'], signal });
    this.process.input().on('error', (error) => (this.broken = error));
  }

  /** Writes one frame, waiting while the pipe is full; false (nothing written) once the encoder has gone. */
  async write(frame: Uint8Array): Promise<boolean> {
    if (this.broken) return false;
    if (!this.process.input().write(frame)) await drained(this.process);
    return true;
  }

  /** Throws when the encoder stopped before its input ended (after waiting for it to exit). */
  async refuseIfStopped(): Promise<void> {
    if (!this.broken && this.process.running) return;
    await this.process.exited;
    throw new AppError('INTERNAL', 'the H.264 encoder stopped', { cause: this.problem() });
  }

  /** Ends the input and resolves with the exit code once the file is written. */
  end(): Promise<number | null> {
    this.process.input().end();
    return this.process.exited;
  }

  refuseIfFailed(code: number | null): void {
    if (code !== 0) throw new AppError('INTERNAL', 'the H.264 encoder failed', { cause: this.problem() });
  }

  private problem(): Error {
    return new Error(`${this.broken?.message ?? ''} ${this.process.stderrTail.trim()}`.trim());
  }
}
