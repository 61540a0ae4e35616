import { describe, expect, it } from 'vitest';
import { defaultUploadLimits, uploadRefusal } from '../../../src-main/domain/uploadLimits.js';

const GiB = 1024 ** 3;
const plenty = { heldBytes: 0, freeDiskBytes: 1000 * GiB };

describe('uploadRefusal', () => {
  it('lets a file through up to and including each limit', () => {
    expect(uploadRefusal({ ...plenty, fileBytes: 2 * GiB }, defaultUploadLimits)).toBeUndefined();
    expect(uploadRefusal({ fileBytes: 2 * GiB, heldBytes: 6 * GiB, freeDiskBytes: 1000 * GiB }, defaultUploadLimits)).toBeUndefined();
    expect(uploadRefusal({ fileBytes: 2 * GiB, heldBytes: 0, freeDiskBytes: 4 * GiB }, defaultUploadLimits)).toBeUndefined();
  });

  it('refuses one byte over the per-file limit, naming both sizes', () => {
    expect(uploadRefusal({ ...plenty, fileBytes: 2 * GiB + 1 }, defaultUploadLimits)).toBe('it is 2.0 GB, over the 2.0 GB limit for one file');
    expect(uploadRefusal({ ...plenty, fileBytes: 3.5 * GiB }, defaultUploadLimits)).toBe('it is 3.5 GB, over the 2.0 GB limit for one file');
  });

  it('refuses what would take the uploads waiting for import past the total', () => {
    expect(uploadRefusal({ fileBytes: 1.5 * GiB, heldBytes: 7 * GiB, freeDiskBytes: 1000 * GiB }, defaultUploadLimits)).toBe(
      'with the 7.0 GB of uploads still waiting to be imported it would pass the 8.0 GB limit for all uploads together; wait for those imports to finish',
    );
  });

  it('refuses more than half of the free disk', () => {
    expect(uploadRefusal({ fileBytes: 1.5 * GiB, heldBytes: 0, freeDiskBytes: 2.5 * GiB }, defaultUploadLimits)).toBe(
      "it is 1.5 GB, more than 50% of the 2.5 GB free on the data folder's disk; free some space first",
    );
  });

  it('checks the file limit first, then the total, then the disk', () => {
    const everything = { fileBytes: 3 * GiB, heldBytes: 7 * GiB, freeDiskBytes: 1 * GiB };
    expect(uploadRefusal(everything, defaultUploadLimits)).toMatch(/limit for one file$/);
    expect(uploadRefusal({ ...everything, fileBytes: 1.5 * GiB }, defaultUploadLimits)).toMatch(/limit for all uploads together/);
  });
});
