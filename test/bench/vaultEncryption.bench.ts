/**
 * What encrypting the vault's files at rest costs (chunked AES-256-GCM, 64 KiB chunks):
 * - MB/s of an import into the vault (hash + copy, + encryption) of a 256 MB file of random bytes
 *   made for the benchmark, and of reading it back whole (plain stream vs decryption);
 * - random 64 KiB range reads, as a seeking player makes them (reads/s);
 * - the real clip decoded whole by ffmpeg (`-f null`) from its path and from the encrypted copy
 *   through the loopback media server: what every analysis and every export pays.
 * Prints the median of BENCH_REPEATS runs (default 3) and the ratio encrypted / plain; asserts nothing.
 * Run: npm run bench -- vaultEncryption
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaInputServer } from '../../src-main/filecrypt/mediaInputServer.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import { Vault } from '../../src-main/store/vault.js';
import { clips, hasTestdata, testVideo } from '../helpers/testdata.js';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const sizeMb = 256;
const rangeReads = 2000;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let bytes = 0;
  for await (const part of stream) bytes += (part as Buffer).length;
  return bytes;
}

function decodeSeconds(ffmpeg: string, input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(ffmpeg, ['-v', 'error', '-nostdin', '-threads', '1', '-i', input, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve((performance.now() - t) / 1000) : reject(new Error(`ffmpeg exited ${code}`))));
  });
}

const work = mkdtempSync(join(tmpdir(), 'walkscope-bench-vault-'));
try {
  const source = join(work, 'random.bin');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(source);
    out.on('error', reject);
    for (let i = 0; i < sizeMb; i++) out.write(randomBytes(1024 * 1024));
    out.end(resolve);
  });
  const key = randomBytes(32);
  const timings: Record<string, number[]> = {};
  const time = async (name: string, work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    (timings[name] ??= []).push(performance.now() - t);
  };
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let r = 0; r < repeats; r++) {
    for (const [label, vaultKey] of [['plain', undefined], ['encrypted', key]] as const) {
      const vault = new Vault(join(work, `vault-${label}-${r}`), vaultKey);
      await vault.init();
      let stored: Awaited<ReturnType<Vault['ingest']>> | undefined;
      await time(`import ${label}`, async () => (stored = await vault.ingest(source)));
      const file = await vault.open(stored!.vaultPath);
      await time(`read ${label}`, () => drain(file.stream(0, file.size - 1)));
      await time(`ranges ${label}`, async () => {
        for (let i = 0; i < rangeReads; i++) {
          const start = Math.floor(next() * (file.size - 65536));
          await drain(file.stream(start, start + 65535));
        }
      });
      await file.close();
      rmSync(vault.root, { recursive: true, force: true });
    }
  }
  const ms = (name: string) => median(timings[name]!);
  console.log(`vault files: ${sizeMb} MB of random bytes made for the benchmark, median of ${repeats}`);
  for (const [step, unit] of [['import', 'MB/s'], ['read', 'MB/s'], ['ranges', 'reads/s']] as const) {
    const plain = ms(`${step} plain`);
    const encrypted = ms(`${step} encrypted`);
    const rate = (t: number) => (unit === 'MB/s' ? sizeMb / (t / 1000) : rangeReads / (t / 1000));
    const label = step === 'import' ? 'import (hash + copy into the vault)' : step === 'read' ? 'read back whole' : `${rangeReads} random 64 KiB ranges`;
    console.log(`${label.padEnd(38)} plain ${rate(plain).toFixed(0).padStart(6)} ${unit}   encrypted ${rate(encrypted).toFixed(0).padStart(6)} ${unit}   time x${(encrypted / plain).toFixed(2)}`);
  }

  if (!hasTestdata) {
    console.log('ffmpeg decode: real clips not found (../shared/testdata); skipped');
  } else {
    const { ffmpeg } = resolveFfmpeg();
    const clip = testVideo(clips.sports2dH264);
    const vault = new Vault(join(work, 'vault-clip'), key);
    await vault.init();
    const stored = await vault.ingest(clip);
    const server = new MediaInputServer(key);
    const url = await server.input(vault.absolute(stored.vaultPath));
    const direct: number[] = [];
    const through: number[] = [];
    for (let r = 0; r < repeats; r++) {
      direct.push(await decodeSeconds(ffmpeg, clip));
      through.push(await decodeSeconds(ffmpeg, url));
    }
    await server.close();
    const a = median(direct);
    const b = median(through);
    console.log(`ffmpeg decodes ${clips.sports2dH264} (${(stored.sizeBytes / 1e6).toFixed(1)} MB, one thread): from its path ${a.toFixed(2)} s   encrypted, through the loopback server ${b.toFixed(2)} s   x${(b / a).toFixed(2)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
