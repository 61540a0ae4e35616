import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../contract/errors.js';

/**
 * The clip features a training job trains on, as one file beside the database (a cohort of 80
 * patients' clips is megabytes: too much for a job's params). Written before the job is queued,
 * named with its SHA-256 in the params, checked by the job before it trains, removed when the
 * model is stored. Layout: a uint32 length and that many bytes of JSON
 * ({ featureSize, clips: [clips of each patient] }), then every patient's clips in order, each
 * featureSize float32 values, little-endian. The patients are in the order of the job's cohort
 * and are not named in the file: their codes stay in the (encrypted, where so set up) database.
 */
interface Header {
  featureSize: number;
  clips: number[];
}

export interface FeatureCohortRows {
  clips: readonly Float32Array[];
}

export async function writeFeatureCohortFile(path: string, featureSize: number, patients: readonly FeatureCohortRows[]): Promise<string> {
  const header = Buffer.from(JSON.stringify({ featureSize, clips: patients.map((p) => p.clips.length) } satisfies Header), 'utf8');
  const clipCount = patients.reduce((n, p) => n + p.clips.length, 0);
  const bytes = Buffer.alloc(4 + header.length + clipCount * featureSize * 4);
  bytes.writeUInt32LE(header.length, 0);
  header.copy(bytes, 4);
  let at = 4 + header.length;
  for (const p of patients) {
    for (const clip of p.clips) {
      if (clip.length !== featureSize) throw new AppError('INTERNAL', `a clip has ${clip.length} features, not ${featureSize}`);
      for (let j = 0; j < featureSize; j++, at += 4) bytes.writeFloatLE(clip[j]!, at);
    }
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.part`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every patient's clips as rows of numbers, in the cohort's order, after checking the file is the one the job was given. */
export async function readFeatureCohortFile(path: string, sha256: string): Promise<{ featureSize: number; rows: number[][][] }> {
  const bytes = await readFile(path).catch((cause: unknown) => {
    throw new AppError('FEATURES_NOT_EXTRACTED', `the training input ${path} is missing; train again`, { cause });
  });
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new AppError('FEATURES_NOT_EXTRACTED', `the training input ${path} was changed after the training was asked for; train again`);
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as Header;
  const rows: number[][][] = [];
  let at = 4 + length;
  for (const count of header.clips) {
    const clips: number[][] = [];
    for (let c = 0; c < count; c++) {
      const row = new Array<number>(header.featureSize);
      for (let j = 0; j < header.featureSize; j++, at += 4) row[j] = bytes.readFloatLE(at);
      clips.push(row);
    }
    rows.push(clips);
  }
  return { featureSize: header.featureSize, rows };
}

/** Removes the file (synchronously: it runs right after the transaction that stored the model). */
export function removeFeatureCohortFile(path: string): void {
  rmSync(path, { force: true });
}
