import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * One ffmpeg or ffprobe process, and the fixed-size frame chunker for its raw output: what the
 * media modules that stream from ffmpeg need around a child process, written once. It is killed
 * (SIGKILL) when the signal aborts, at once if it already has; the end of its stderr is kept
 * for error messages; its exit is a promise that never rejects, so nobody has to be waiting
 * for it when the process fails.
 */

/** Characters of stderr kept: the end of ffmpeg's log, where it says why it failed. */
export const stderrTailLength = 4000;

export interface FfmpegProcessOptions {
  /** As for child_process.spawn; stderr must be 'pipe' for stderrTail to hold anything. */
  stdio: StdioOptions;
  /** Kills the process when aborted (at once if it already is). */
  signal?: AbortSignal | undefined;
}

export interface FfmpegProcess {
  readonly child: ChildProcess;
  /**
   * Resolves once the process has ended and its pipes have closed, with its exit code: null
   * when a signal ended it, a negative errno when it never started (spawnError says why).
   * Never rejects.
   */
  readonly exited: Promise<number | null>;
  /** Why the binary could not be started (or another error of the child process), if one was reported. */
  readonly spawnError: Error | undefined;
  /** The last stderrTailLength characters written to stderr, untrimmed. */
  readonly stderrTail: string;
  /** True until the process has exited or was ended by a signal. */
  readonly running: boolean;
  /** Kills the process (SIGKILL) if it is still running. */
  stop(): void;
  /** The pipe the child writes to on descriptor `fd` (1: stdout); throws if it is not a pipe. */
  output(fd?: number): Readable;
  /** The child's stdin; throws if it is not a pipe. */
  input(): Writable;
}

/** Starts `binary` (an ffmpeg or ffprobe path) with `args`. */
export function spawnFfmpeg(binary: string, args: readonly string[], options: FfmpegProcessOptions): FfmpegProcess {
  const child = spawn(binary, args, { stdio: options.stdio });
  let tail = '';
  let failure: Error | undefined;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-stderrTailLength);
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = () => {
    if (running()) child.kill('SIGKILL');
  };
  const signal = options.signal;
  const exited = new Promise<number | null>((resolve) => {
    // every error is kept, not only the first: an unhandled 'error' event would end the app
    child.on('error', (error) => (failure ??= error));
    // Node emits 'close' after a spawn error too (with the negative errno as the code)
    child.once('close', (code) => {
      signal?.removeEventListener('abort', stop);
      resolve(code);
    });
  });
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  const pipe = <T>(fd: number): T => {
    const stream = child.stdio[fd];
    if (!stream) throw new Error(`descriptor ${fd} of ${binary} is not a pipe`);
    return stream as T;
  };
  return {
    child,
    exited,
    get spawnError() {
      return failure;
    },
    get stderrTail() {
      return tail;
    },
    get running() {
      return running();
    },
    stop,
    output: (fd = 1) => pipe<Readable>(fd),
    input: () => pipe<Writable>(0),
  };
}

/**
 * How the chunker hands out frames: 'fresh', each frame in its own memory (an ArrayBuffer of
 * exactly one frame, which can be kept or transferred to a worker); 'reused', one buffer
 * overwritten by every frame, for a consumer that is done with a frame before it asks for the
 * next (no allocation per frame).
 */
export type FrameMode = 'fresh' | 'reused';

/**
 * Cuts a byte stream (ffmpeg's rawvideo output) into frames of `frameBytes`, whatever the
 * chunks' sizes. A partial frame at the end of the stream is dropped.
 */
export async function* fixedSizeFrames(bytes: AsyncIterable<Uint8Array>, frameBytes: number, mode: FrameMode): AsyncGenerator<Buffer, void, undefined> {
  if (!Number.isInteger(frameBytes) || frameBytes < 1) throw new RangeError(`a frame must be a whole number of bytes of at least 1, not ${frameBytes}`);
  // allocUnsafeSlow: never a slice of Node's shared pool, so the frame's ArrayBuffer is its own
  const next = () => (mode === 'fresh' ? Buffer.allocUnsafeSlow(frameBytes) : Buffer.allocUnsafe(frameBytes));
  let frame = next();
  let filled = 0;
  for await (const chunk of bytes) {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - at);
      frame.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === frameBytes) {
        yield frame;
        if (mode === 'fresh') frame = next();
        filled = 0;
      }
    }
  }
}
