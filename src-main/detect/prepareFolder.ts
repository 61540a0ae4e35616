import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { AppError, isAppError, type ErrorReply } from '../contract/errors.js';
import { englishOf } from '../contract/phrase.js';
import { availableParallelism } from 'node:os';
import { checkVideo } from '../media/checkedVideo.js';
import { prepareVideo, type PrepareOptions, type Stage1Result } from './prepareVideo.js';
import { DetectionPool } from './detectVideo.js';

/**
 * The store-less core of `walkscope prepare <video|folder> --out DIR`: stage 1 on one video
 * or on every video under a folder, keeping the folder's layout under DIR (the paper's
 * dataset layout: class subfolders such as ASD/ and ASD_not/ come out as ASD/ and ASD_not/).
 * One failing video does not stop the others; its error is reported in its row. A cancel
 * stops the batch. The detection workers are started once for the whole folder (tfjs costs
 * about 0.9 s of CPU a worker to start) and replaced only if one fails.
 */
export const videoExtensions = new Set(['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.mts', '.m2ts', '.mpg', '.mpeg', '.wmv']);

export interface PreparedFile {
  input: string;
  /** Path relative to the folder given (or the file name), e.g. ASD/patient01.mp4. */
  relativePath: string;
  /** The class folder (first folder of relativePath), '' at the top level. */
  group: string;
  output: string | null;
  result: Omit<Stage1Result, 'overlay'> | null;
  error: ErrorReply | null;
  /** Wall time for this video. */
  seconds: number;
}

export interface PrepareFolderProgress {
  fileIndex: number;
  fileCount: number;
  relativePath: string;
  /** This video's fraction 0..1 and the whole batch's. */
  fileFraction: number;
  fraction: number;
  message: string;
}

export interface PrepareFolderOptions extends Omit<PrepareOptions, 'onProgress' | 'detections'> {
  onProgress?: (progress: PrepareFolderProgress) => void;
  /** Called after each video, e.g. to print a line. */
  onFile?: (file: PreparedFile, index: number, count: number) => void;
}

export interface PrepareFolderResult {
  /** The folder the relative paths are relative to. */
  root: string;
  outDir: string;
  files: PreparedFile[];
}

/** Videos under a folder (by extension), sorted, skipping hidden entries and `exclude`. */
export async function listVideos(root: string, exclude?: string): Promise<string[]> {
  const out: string[] = [];
  const skip = exclude ? resolve(exclude) : undefined;
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (skip && (full === skip || full.startsWith(skip + sep))) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && videoExtensions.has(extname(entry.name).toLowerCase())) out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** Output paths: same relative folder, `.mp4`; two sources with one stem (a.mov, a.mp4) keep their extension apart. */
export function outputPaths(root: string, outDir: string, inputs: readonly string[]): string[] {
  const stemOf = (input: string) => join(relative(root, dirname(input)), basename(input, extname(input)));
  const counts = new Map<string, number>();
  for (const input of inputs) counts.set(stemOf(input).toLowerCase(), (counts.get(stemOf(input).toLowerCase()) ?? 0) + 1);
  return inputs.map((input) => {
    const stem = stemOf(input);
    const unique = (counts.get(stem.toLowerCase()) ?? 0) > 1 ? `${stem}_${extname(input).slice(1).toLowerCase()}` : stem;
    return join(outDir, `${unique}.mp4`);
  });
}

export async function prepareFolder(source: string, outDir: string, options: PrepareFolderOptions): Promise<PrepareFolderResult> {
  const info = await stat(source).catch((error: unknown) => {
    throw new AppError('FILE_NOT_FOUND', source, { cause: error });
  });
  const out = resolve(outDir);
  const root = info.isDirectory() ? resolve(source) : dirname(resolve(source));
  const inputs = info.isDirectory() ? await listVideos(root, out) : [resolve(source)];
  const outputs = outputPaths(root, out, inputs);
  const files: PreparedFile[] = [];
  const threads = options.detect?.workers ?? availableParallelism();
  let pool: DetectionPool | undefined;
  try {
    for (const [i, input] of inputs.entries()) {
      const relativePath = relative(root, input);
      const group = relativePath.includes(sep) ? relativePath.split(sep)[0]! : '';
      const output = outputs[i]!;
      const started = performance.now();
      let row: PreparedFile;
      try {
        if (resolve(output) === input) throw new AppError('BAD_REQUEST', `the output would overwrite the source ${relativePath}; choose another --out folder`);
        await mkdir(dirname(output), { recursive: true });
        if (inputs.length > 1 && threads > 0 && (!pool || pool.failed)) {
          await pool?.close();
          pool = await DetectionPool.start(threads, options.backend ?? 'auto', options.detector);
        }
        // loose files have not been through an import's checks
        await checkVideo(input, relativePath, { ffmpeg: options.ffmpeg, signal: options.signal });
        const { overlay: _overlay, ...result } = await prepareVideo(input, output, {
          ...options,
          ...(pool ? { detect: { ...options.detect, pool } } : {}),
          onProgress: (fileFraction, message) =>
            options.onProgress?.({ fileIndex: i, fileCount: inputs.length, relativePath, fileFraction, fraction: (i + fileFraction) / inputs.length, message: englishOf(message) }),
        });
        row = { input, relativePath, group, output, result, error: null, seconds: (performance.now() - started) / 1000 };
      } catch (error) {
        if (isAppError(error) && error.code === 'JOB_CANCELLED') throw error;
        const reply: ErrorReply = isAppError(error) ? error.toReply() : new AppError('INTERNAL', error instanceof Error ? error.message : String(error)).toReply();
        row = { input, relativePath, group, output: null, result: null, error: reply, seconds: (performance.now() - started) / 1000 };
      }
      files.push(row);
      options.onFile?.(row, i, inputs.length);
    }
  } finally {
    await pool?.close();
  }
  return { root, outDir: out, files };
}
