import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/contract/errors.js';
import { parseQueueAddress, redactQueueUrls, redisOptionsOf } from '../../../src-main/remote/queueAddress.js';
import { decodeFailure, encodeFailure } from '../../../src-main/remote/remoteEnvelope.js';

function refusal(url: string): AppError {
  try {
    parseQueueAddress(url);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`${url} was accepted`);
}

describe('a queue address', () => {
  it('reads host, port, database, user and password, and shows the URL without the password', () => {
    expect(parseQueueAddress('redis://walkscope:s3cr%40t@queue.hospital.local:6380/2')).toEqual({
      host: 'queue.hospital.local',
      port: 6380,
      db: 2,
      username: 'walkscope',
      password: 's3cr@t',
      tls: false,
      display: 'redis://walkscope:***@queue.hospital.local:6380/2',
    });
  });

  it('defaults to port 6379 and database 0, takes TLS from rediss://, and the password from the environment when the URL has none', () => {
    expect(parseQueueAddress('rediss://walkscope@10.0.0.5', 'from-env')).toEqual({ host: '10.0.0.5', port: 6379, db: 0, username: 'walkscope', password: 'from-env', tls: true, display: 'rediss://walkscope@10.0.0.5' });
    expect(parseQueueAddress('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000, display: 'redis://[::1]:7000' });
  });

  it('refuses what is not a Redis URL with a sentence that never repeats the password', () => {
    const notUrl = refusal('walkscope:hunter2@queue');
    expect(notUrl.code).toBe('QUEUE_URL_INVALID');
    expect(notUrl.message).toContain('an address starting walkscope: does not start with redis://');
    const http = refusal('http://u:hunter2@queue:6379');
    expect(http.message).toContain('an address starting http://queue:6379 does not start with redis:// or rediss://');
    const db = refusal('redis://u:hunter2@queue:6379/99');
    expect(db.message).toContain('names database "99" (expected 0 to 15)');
    for (const error of [notUrl, http, db]) expect(error.message).not.toContain('hunter2');
  });

  it('redacts every redis URL in a log line, and leaves other text alone', () => {
    expect(redactQueueUrls('connect to redis://ws:pa:ss@h:1 failed; also rediss://:only@h2/3 and https://x:y@z')).toBe('connect to redis://ws:***@h:1 failed; also rediss://:***@h2/3 and https://x:y@z');
  });

  it('makes ioredis options that wait for a restarting server rather than give up', () => {
    const options = redisOptionsOf(parseQueueAddress('rediss://u:p@h:1/1'));
    expect(options).toMatchObject({ host: 'h', port: 1, db: 1, username: 'u', password: 'p', tls: { servername: 'h' }, maxRetriesPerRequest: null });
    const retry = options.retryStrategy as (times: number) => number;
    expect([1, 4, 100].map(retry)).toEqual([250, 1000, 5000]);
  });
});

describe('a remote failure reason', () => {
  it('carries an error reply through BullMQ and back', () => {
    const reply = new AppError('MEDIA_HASH_MISMATCH', 'objects/ab/abc.mp4').toReply();
    expect(decodeFailure(encodeFailure(reply))).toEqual({ code: reply.code, message: reply.message });
  });

  it("turns BullMQ's own reasons, and codes this version does not know, into a remote failure that names them", () => {
    const stalled = decodeFailure('job stalled more than allowable limit');
    expect(stalled.code).toBe('REMOTE_JOB_FAILED');
    expect(stalled.message).toContain('job stalled more than allowable limit');
    expect(decodeFailure(JSON.stringify({ code: 'NOT_A_CODE', message: 'x' })).code).toBe('REMOTE_JOB_FAILED');
    expect(decodeFailure(undefined).message).toContain('no reason given');
    expect(decodeFailure('lost redis://u:pw@h:1').message).not.toContain('pw@');
  });
});
