import type { FfmpegProcess } from './ffmpegProcess.js';

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
