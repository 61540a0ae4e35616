import { rmSync } from 'node:fs';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../contract/errors.js';

/**
 * The clip features of one video as they are computed, one record per finished clip, so an
 * extraction killed part-way (kill -9, a crash, a power cut) starts again where it stopped.
 *
 * Layout: a 16-byte header ("WSFC", format 1, the feature size, 0), then records of a uint32
 * clip index and featureSize float32 values, all little-endian. Each record is written by one
 * call and flushed to disk before the next clip starts. Reading keeps the complete records and
 * drops a torn last one (cut by the crash while it was written), which is computed again.
 */
const magic = 0x43465357; // "WSFC" little-endian
const formatVersion = 1;
const headerBytes = 16;

export interface CheckpointContents {
  featureSize: number;
  /** Finished clips by index. */
  clips: Map<number, Float32Array>;
}

const recordBytes = (featureSize: number) => 4 + 4 * featureSize;

/** Reads a checkpoint; an absent file is an empty one. A file of another feature size or format is refused: it belongs to something else. */
export async function readFeatureCheckpoint(path: string, featureSize: number): Promise<CheckpointContents> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  const clips = new Map<number, Float32Array>();
  if (bytes === null || bytes.length < headerBytes) return { featureSize, clips };
  if (bytes.readUInt32LE(0) !== magic || bytes.readUInt32LE(4) !== formatVersion) throw new AppError('FEATURES_CHECKPOINT_INVALID', `${path} is not a WalkScope feature checkpoint`);
  const stored = bytes.readUInt32LE(8);
  if (stored !== featureSize) throw new AppError('FEATURES_CHECKPOINT_INVALID', `${path} holds ${stored} features per clip, the bundle gives ${featureSize}`);
  const size = recordBytes(featureSize);
  const complete = Math.floor((bytes.length - headerBytes) / size);
  for (let r = 0; r < complete; r++) {
    const at = headerBytes + r * size;
    const values = new Float32Array(featureSize);
    for (let j = 0; j < featureSize; j++) values[j] = bytes.readFloatLE(at + 4 + 4 * j);
    clips.set(bytes.readUInt32LE(at), values);
  }
  return { featureSize, clips };
}

/** Appends finished clips to a checkpoint (created, or cut back to its last complete record). */
export class FeatureCheckpointWriter {
  private constructor(
    private readonly handle: FileHandle,
    private readonly featureSize: number,
  ) {}

  static async open(path: string, featureSize: number): Promise<FeatureCheckpointWriter> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      if (size < headerBytes) {
        await handle.truncate(0);
        const header = Buffer.alloc(headerBytes);
        header.writeUInt32LE(magic, 0);
        header.writeUInt32LE(formatVersion, 4);
        header.writeUInt32LE(featureSize, 8);
        await handle.write(header, 0, headerBytes, 0);
      } else {
        // a torn last record is cut off, so the next one starts on a record boundary
        const whole = headerBytes + Math.floor((size - headerBytes) / recordBytes(featureSize)) * recordBytes(featureSize);
        if (whole !== size) await handle.truncate(whole);
      }
      await handle.datasync();
      return new FeatureCheckpointWriter(handle, featureSize);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async append(clipIndex: number, features: Float32Array): Promise<void> {
    if (features.length !== this.featureSize) throw new AppError('MODEL_INVALID', `the model gave ${features.length} features for a clip, the bundle says ${this.featureSize}`);
    const record = Buffer.alloc(recordBytes(this.featureSize));
    record.writeUInt32LE(clipIndex, 0);
    for (let j = 0; j < features.length; j++) record.writeFloatLE(features[j]!, 4 + 4 * j);
    await this.handle.appendFile(record);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function removeFeatureCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
