import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-main/contract/errors.js';
import { checkQueueSetting } from '../../../src-main/remote/queueSetting.js';

const folder = mkdtempSync(join(tmpdir(), 'walkscope-shared-'));
const file = join(folder, 'not-a-folder.txt');
writeFileSync(file, 'x');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function refusal(queueUrl: string | null, queueMediaFolder: string | null): AppError {
  try {
    checkQueueSetting({ queueUrl, queueMediaFolder });
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`${queueUrl} with ${queueMediaFolder} was accepted`);
}

describe('the queue setting', () => {
  it('accepts both empty (the SQLite queue) and an address without a password with an existing folder', () => {
    expect(() => checkQueueSetting({ queueUrl: null, queueMediaFolder: null })).not.toThrow();
    expect(() => checkQueueSetting({ queueUrl: 'redis://walkscope@queue.hospital.local:6380/2', queueMediaFolder: folder })).not.toThrow();
    expect(() => checkQueueSetting({ queueUrl: 'rediss://10.0.0.5', queueMediaFolder: folder })).not.toThrow();
  });

  it('refuses an address with a password, names WALKSCOPE_QUEUE_PASSWORD and never repeats the password', () => {
    for (const url of ['redis://walkscope:s3cret@queue.local:6379', 'redis://:s3cret@queue.local']) {
      const error = refusal(url, folder);
      expect(error.code).toBe('QUEUE_PASSWORD_IN_SETTINGS');
      expect(error.message).toContain('keep the password out of the settings: set WALKSCOPE_QUEUE_PASSWORD on this machine');
      expect(error.message).toContain('queue.local');
      expect(error.message).not.toContain('s3cret');
    }
  });

  it('refuses a malformed address with the address parser\'s sentence, password redacted', () => {
    expect(refusal('queue.local:6379', folder).code).toBe('QUEUE_URL_INVALID');
    expect(refusal('http://queue.local', folder).message).toContain('does not start with redis:// or rediss://');
    const bad = refusal('redis://walkscope:s3cret@queue.local/99', folder);
    expect(bad.message).toContain('database "99"');
    expect(bad.message).not.toContain('s3cret');
  });

  it('refuses half a queue, on the side that is missing', () => {
    const noFolder = refusal('redis://walkscope:s3cret@queue.local', null);
    expect(noFolder.code).toBe('MEDIA_FOLDER_INVALID');
    expect(noFolder.message).toContain('needs the shared folder every worker mounts');
    expect(noFolder.message).not.toContain('s3cret');
    expect(refusal(null, folder)).toMatchObject({ code: 'QUEUE_URL_INVALID' });
    expect(refusal(null, folder).message).toContain(`the shared media folder ${folder} needs a queue address`);
  });

  it('refuses a media folder that does not exist, is a file, or is not absolute', () => {
    expect(refusal('redis://q.local', join(folder, 'gone')).message).toContain('does not exist on this machine');
    expect(refusal('redis://q.local', file).message).toContain('is a file, not a folder');
    expect(refusal('redis://q.local', 'shared/media').message).toContain('is not an absolute path');
    expect(refusal('redis://q.local', file).code).toBe('MEDIA_FOLDER_INVALID');
  });
});
