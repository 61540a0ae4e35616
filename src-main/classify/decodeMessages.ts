/**
 * Messages between decodeAhead.ts (the thread that runs the model) and decodeWorker.ts (the
 * thread that decodes and transforms): one video per `id`, batches sent ahead on credit.
 */
import type { PlannedClip } from '../domain/clipSampling.js';
import type { PreparedVideo, PreprocessInput, PreprocessOptions, PreprocessStats } from './preprocess.js';

export type DecodeRequest =
  /** Plans the video and sends up to `credit` batches before waiting for a `pull`. */
  | { type: 'prepare'; id: number; videoPath: string; input: PreprocessInput; options: Omit<PreprocessOptions, 'signal'>; credit: number }
  /** One batch was taken: one more may be sent. */
  | { type: 'pull'; id: number }
  | { type: 'cancel'; id: number };

export type DecodeReply =
  | { type: 'planned'; id: number; plan: PlannedClip[]; parameters: PreparedVideo['parameters']; probeMs: number }
  | { type: 'batch'; id: number; clips: PlannedClip[]; data: Float32Array }
  /** Every batch was sent; `clips` is the plan's final length (clips the stream ended inside are left out). */
  | { type: 'ended'; id: number; clips: number; stats: PreprocessStats }
  | { type: 'failed'; id: number; error: { name: string; message: string; code?: string; detail?: string } };
