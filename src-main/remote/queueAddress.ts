import { AppError } from '../contract/errors.js';

/** How to reach the Redis (or Valkey) server of a remote job queue, parsed from its URL. */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** rediss://: TLS, with the system's certificate authorities (or NODE_EXTRA_CA_CERTS). */
  tls: boolean;
  /** The URL without its password: what logs, the UI, the CLI and the audit log show. */
  display: string;
}

/**
 * Parses `redis://[user[:password]@]host[:port][/db]` or `rediss://...` (TLS). The password may
 * instead come from `passwordFromEnv` (WALKSCOPE_QUEUE_PASSWORD), so that it is never on a
 * command line or in the settings. A bad URL is refused with a sentence that never repeats
 * the password.
 */
export function parseQueueAddress(url: string, passwordFromEnv?: string): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('QUEUE_URL_INVALID', `${redactQueueUrls(url)} is not a URL (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    // only the scheme and host: in `user:password@host` without a scheme, the password would be the URL's path
    throw new AppError('QUEUE_URL_INVALID', `an address starting ${parsed.protocol}${parsed.host ? `//${parsed.host}` : ''} does not start with redis:// or rediss://`);
  }
  if (!parsed.hostname) throw new AppError('QUEUE_URL_INVALID', `${displayOf(parsed)} names no host`);
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new AppError('QUEUE_URL_INVALID', `${displayOf(parsed)} names database "${dbText}" (expected 0 to 15)`);
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : passwordFromEnv || undefined;
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    tls: parsed.protocol === 'rediss:',
    display: displayOf(parsed),
  };
}

function displayOf(url: URL): string {
  const user = url.username ? `${url.username}${url.password ? ':***' : ''}@` : url.password ? ':***@' : '';
  return `${url.protocol}//${user}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** Replaces the password of every redis:// or rediss:// URL in a text (log lines, error messages) by ***. */
export function redactQueueUrls(text: string): string {
  return text.replace(/(rediss?:\/\/[^:@/\s]*):[^@\s]*@/g, '$1:***@');
}

/** Options for ioredis (BullMQ's client): every connection of a queue or worker is made from these. */
export function redisOptionsOf(address: QueueAddress): Record<string, unknown> {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username ? { username: address.username } : {}),
    ...(address.password ? { password: address.password } : {}),
    ...(address.tls ? { tls: { servername: address.host } } : {}),
    // BullMQ's workers block on Redis; they must wait for it rather than give up when it restarts
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(250 * times, 5000),
  };
}
