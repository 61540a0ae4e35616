import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FeatureCheckpointWriter, readFeatureCheckpoint, removeFeatureCheckpoint } from '../../../src-main/classify/featureCheckpoint.js';

const folder = mkdtempSync(join(tmpdir(), 'walkscope-checkpoint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the feature checkpoint of one extraction', () => {
  it('keeps every appended clip, by index, exactly (float32)', async () => {
    const path = join(folder, 'a', 'one.bin');
    expect((await readFeatureCheckpoint(path, 3)).clips.size).toBe(0);
    const writer = await FeatureCheckpointWriter.open(path, 3);
    await writer.append(0, Float32Array.of(1, 2, 3));
    await writer.append(2, Float32Array.of(-0.5, 1e-7, 65504));
    await writer.close();
    expect(statSync(path).size).toBe(16 + 2 * (4 + 12));
    const read = await readFeatureCheckpoint(path, 3);
    expect([...read.clips.keys()]).toEqual([0, 2]);
    expect(Array.from(read.clips.get(2)!)).toEqual(Array.from(Float32Array.of(-0.5, 1e-7, 65504)));
  });

  it('drops a torn last record when read, and cuts it off before appending', async () => {
    const path = join(folder, 'torn.bin');
    const writer = await FeatureCheckpointWriter.open(path, 2);
    await writer.append(0, Float32Array.of(1, 2));
    await writer.close();
    appendFileSync(path, Buffer.from([1, 0, 0, 0, 9, 9])); // a record cut after 6 of its 12 bytes
    expect([...(await readFeatureCheckpoint(path, 2)).clips.keys()]).toEqual([0]);
    const again = await FeatureCheckpointWriter.open(path, 2);
    await again.append(1, Float32Array.of(3, 4));
    await again.close();
    const read = await readFeatureCheckpoint(path, 2);
    expect([...read.clips.keys()]).toEqual([0, 1]);
    expect(Array.from(read.clips.get(1)!)).toEqual([3, 4]);
  });

  it('refuses a checkpoint of another feature size, or a file that is not one, naming it', async () => {
    const path = join(folder, 'other.bin');
    const writer = await FeatureCheckpointWriter.open(path, 4);
    await writer.append(0, Float32Array.of(1, 2, 3, 4));
    await writer.close();
    await expect(readFeatureCheckpoint(path, 8)).rejects.toMatchObject({ code: 'FEATURES_CHECKPOINT_INVALID', message: expect.stringContaining(`${path} holds 4 features per clip, the bundle gives 8`) });
    const junk = join(folder, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(40, 7));
    await expect(readFeatureCheckpoint(junk, 4)).rejects.toMatchObject({ code: 'FEATURES_CHECKPOINT_INVALID', message: expect.stringContaining('is not a WalkScope feature checkpoint') });
    const opened = await FeatureCheckpointWriter.open(join(folder, 'size.bin'), 4);
    await expect(opened.append(0, Float32Array.of(1))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await opened.close();
    removeFeatureCheckpoint(path);
    expect(() => statSync(path)).toThrow();
  });
});
