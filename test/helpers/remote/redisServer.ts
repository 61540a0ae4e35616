import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether Debian's redis-server is installed (tests that need it skip with a printed notice when not). */
export function redisServerAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found) console.warn('[remote queue tests] skipped: redis-server is not installed (apt install redis-server)');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestRedis {
  port: number;
  /** redis://USER:PASSWORD@127.0.0.1:PORT: the ACL user the app and the workers connect as. */
  url: string;
  password: string;
  /** Stops the server (it writes its append-only file first) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private redis-server for one test file, on loopback and a free port, with its own folder
 * and an append-only file (so a restart keeps the queue, as a hospital's server would), the
 * default user behind a password of its own and one ACL user with a password: the test's own server, not the
 * machine's.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'walkscope-redis-'));
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  // Redis 7.0 (Debian 12) replays an append-only file as its default user: with that user
  // switched off, every MULTI/EXEC in the file fails with NOPERM on restart and the queue comes
  // back empty. So the default user stays on, behind a password of its own nobody here uses.
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--user', 'default', 'on', `>${adminPassword}`, '~*', '&*', '+@all', '--user', `walkscope`, 'on', `>${password}`, '~*', '&*', '+@all'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  };
  const stopServer = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    port,
    password,
    url: `redis://walkscope:${password}@127.0.0.1:${port}`,
    restart: async () => {
      await stopServer();
      await start();
    },
    stop: async () => {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
