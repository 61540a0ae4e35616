import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFeatureCohortFile, removeFeatureCohortFile, writeFeatureCohortFile } from '../../../src-main/store/featureCohortFile.js';

const folder = mkdtempSync(join(tmpdir(), 'walkscope-cohortfile-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("a training job's file of clip features", () => {
  it('gives back every patient\'s clips in order, as float32, and names no patient', async () => {
    const path = join(folder, 'in', 'a.bin');
    const sha = await writeFeatureCohortFile(path, 2, [{ clips: [Float32Array.of(1, 2), Float32Array.of(0.1, -3)] }, { clips: [] }, { clips: [Float32Array.of(5, 6)] }]);
    expect(sha).toMatch(/^[a-f0-9]{64}$/);
    const read = await readFeatureCohortFile(path, sha);
    expect(read.featureSize).toBe(2);
    expect(read.rows).toEqual([[[1, 2], [Math.fround(0.1), -3]], [], [[5, 6]]]);
    expect(readFileSync(path).subarray(4, 4 + readFileSync(path).readUInt32LE(0)).toString()).toBe('{"featureSize":2,"clips":[2,0,1]}');
  });

  it('refuses a file changed after it was written, or gone, in a sentence', async () => {
    const path = join(folder, 'b.bin');
    const sha = await writeFeatureCohortFile(path, 1, [{ clips: [Float32Array.of(1)] }]);
    appendFileSync(path, Buffer.from([0]));
    await expect(readFeatureCohortFile(path, sha)).rejects.toMatchObject({ code: 'FEATURES_NOT_EXTRACTED', message: expect.stringContaining('was changed after the training was asked for; train again') });
    removeFeatureCohortFile(path);
    expect(() => statSync(path)).toThrow();
    await expect(readFeatureCohortFile(path, sha)).rejects.toMatchObject({ code: 'FEATURES_NOT_EXTRACTED', message: expect.stringContaining('is missing; train again') });
  });
});
