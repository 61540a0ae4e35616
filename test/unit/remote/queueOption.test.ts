import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/contract/errors.js';
import { chooseQueue, type QueueSetting } from '../../../src-main/remote/queueOption.js';

const none: QueueSetting = { queueUrl: null, queueMediaFolder: null };
const stored: QueueSetting = { queueUrl: 'redis://walkscope@settings.local:6379', queueMediaFolder: '/mnt/from-settings' };
const envQueue = { WALKSCOPE_QUEUE: 'redis://walkscope@env.local:6379', WALKSCOPE_MEDIA_FOLDER: '/mnt/from-env' };
const flags = { queue: 'redis://walkscope@flag.local:6379', mediaFolder: '/mnt/from-flag' };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('accepted');
}

describe('which queue a start uses: flags, then the environment, then the setting', () => {
  it('is the SQLite queue when nothing names one', () => {
    expect(chooseQueue({}, {}, none)).toEqual({ source: 'default' });
  });

  it('takes the flags alone', () => {
    expect(chooseQueue(flags, {}, none)).toEqual({ source: 'flag', choice: { url: flags.queue, mediaFolder: flags.mediaFolder } });
  });

  it('takes the environment alone, with its password', () => {
    expect(chooseQueue({}, { ...envQueue, WALKSCOPE_QUEUE_PASSWORD: 'pw' }, none)).toEqual({ source: 'environment', choice: { url: envQueue.WALKSCOPE_QUEUE, mediaFolder: '/mnt/from-env', password: 'pw' } });
  });

  it('takes the setting alone, with the password from the environment', () => {
    expect(chooseQueue({}, {}, stored)).toEqual({ source: 'setting', choice: { url: stored.queueUrl, mediaFolder: stored.queueMediaFolder } });
    expect(chooseQueue({}, { WALKSCOPE_QUEUE_PASSWORD: 'pw' }, stored).choice?.password).toBe('pw');
  });

  it('puts the flags over the environment over the setting', () => {
    expect(chooseQueue(flags, envQueue, stored)).toMatchObject({ source: 'flag', choice: { url: flags.queue, mediaFolder: '/mnt/from-flag' } });
    expect(chooseQueue({}, envQueue, stored)).toMatchObject({ source: 'environment', choice: { url: envQueue.WALKSCOPE_QUEUE, mediaFolder: '/mnt/from-env' } });
  });

  it('pairs a flag with the other half from the environment, as before, and never with the setting', () => {
    expect(chooseQueue({ queue: flags.queue }, { WALKSCOPE_MEDIA_FOLDER: '/mnt/from-env' }, stored)).toMatchObject({ source: 'flag', choice: { url: flags.queue, mediaFolder: '/mnt/from-env' } });
    expect(refusal(() => chooseQueue({ queue: flags.queue }, {}, stored)).code).toBe('MEDIA_FOLDER_INVALID');
  });

  it('refuses half of a queue from any source', () => {
    expect(refusal(() => chooseQueue({ queue: flags.queue }, {}, none)).message).toContain('add --media-folder DIR');
    expect(refusal(() => chooseQueue({ mediaFolder: '/mnt/x' }, {}, none)).code).toBe('QUEUE_URL_INVALID');
    expect(refusal(() => chooseQueue({}, { WALKSCOPE_QUEUE: envQueue.WALKSCOPE_QUEUE }, none)).code).toBe('MEDIA_FOLDER_INVALID');
    expect(refusal(() => chooseQueue({}, {}, { queueUrl: stored.queueUrl, queueMediaFolder: null })).message).toContain('no shared media folder');
    expect(refusal(() => chooseQueue({}, {}, { queueUrl: null, queueMediaFolder: '/mnt/x' })).message).toContain('no queue');
  });
});
