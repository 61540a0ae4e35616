import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerBytes, sealedSize, tagBytes, defaultChunkBytes } from '../../../src-main/filecrypt/chunkedCipher.js';
import { MediaInputServer } from '../../../src-main/filecrypt/mediaInputServer.js';
import { openStoredFile } from '../../../src-main/filecrypt/storedFile.js';
import { probeVideo, scanPackets } from '../../../src-main/media/probe.js';
import { Vault } from '../../../src-main/store/vault.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

/**
 * The vault's files encrypted at rest, on a real clip: stored without a readable byte of it, named
 * by the plain content's SHA-256, every byte range read back exactly (as the player and ffmpeg
 * ask for them), damage and a missing or wrong key refused by name, and ffprobe reading the
 * encrypted copy through the loopback media server as it reads the original.
 */
const vaultKey = randomBytes(32);
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-vault-enc-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function readRange(file: Awaited<ReturnType<typeof openStoredFile>>, start: number, end: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.stream(start, end)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.runIf(requireTestdata())('the vault encrypted at rest (real clip)', () => {
  let vault: Vault;
  let original: Buffer;
  let stored: Awaited<ReturnType<Vault['ingest']>>;

  beforeAll(async () => {
    vault = new Vault(join(work, 'vault'), vaultKey);
    await vault.init();
    original = readFileSync(testVideo(clips.sports2dH264));
    stored = await vault.ingest(testVideo(clips.sports2dH264));
  });

  it('stores the clip encrypted: no readable byte of it, named by the plain SHA-256, the size the format predicts', () => {
    const onDisk = readFileSync(vault.absolute(stored.vaultPath));
    expect(stored.sha256).toBe(sha256(original));
    expect(stored.sizeBytes).toBe(original.length);
    expect(onDisk.length).toBe(sealedSize(original.length));
    expect(onDisk.subarray(0, 8).toString('latin1')).toBe('WSVAULT1');
    // the MP4 box names and any 64-byte run of the clip are nowhere in the stored file
    for (const box of ['ftyp', 'moov', 'mdat', 'avc1']) expect(onDisk.includes(box), box).toBe(false);
    for (let at = 0; at < original.length; at += 97_003) expect(onDisk.includes(original.subarray(at, at + 64)), `bytes at ${at}`).toBe(false);
  });

  it('reads back every range exactly: the whole file, chunk edges and 200 random ranges', async () => {
    const file = await vault.open(stored.vaultPath);
    try {
      expect(file.size).toBe(original.length);
      expect(file.encrypted).toBe(true);
      expect((await readRange(file, 0, file.size - 1)).equals(original)).toBe(true);
      const c = defaultChunkBytes;
      const edges: Array<[number, number]> = [[0, 0], [c - 1, c], [c, c], [c - 1, 3 * c + 1], [original.length - 1, original.length - 1], [original.length - 10, original.length + 50]];
      let seed = 42;
      const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let i = 0; i < 200; i++) {
        const start = Math.floor(next() * original.length);
        edges.push([start, Math.min(original.length - 1, start + Math.floor(next() * 300_000))]);
      }
      for (const [start, end] of edges) expect((await readRange(file, start, end)).equals(original.subarray(start, Math.min(end, original.length - 1) + 1)), `${start}-${end}`).toBe(true);
    } finally {
      await file.close();
    }
    expect((await vault.read(stored.vaultPath)).equals(original)).toBe(true);
  });

  it('knows a clip it holds already by its plain size and hash', async () => {
    expect(await vault.ingest(testVideo(clips.sports2dH264))).toMatchObject({ vaultPath: stored.vaultPath, alreadyStored: true });
  });

  it('refuses without the key, with another key and where a byte changed, by name; the chunks before the damage still read', async () => {
    const path = vault.absolute(stored.vaultPath);
    await expect(openStoredFile(path, undefined)).rejects.toMatchObject({ code: 'VAULT_KEY_MISSING', message: expect.stringContaining(path) });
    const wrong = await openStoredFile(path, randomBytes(32));
    await expect(readRange(wrong, 0, 10)).rejects.toMatchObject({ code: 'VAULT_FILE_DAMAGED', message: expect.stringContaining('chunk 0 of') });
    await wrong.close();
    const damaged = join(work, 'damaged.mp4');
    const bytes = readFileSync(path);
    const chunk = 5;
    bytes[headerBytes + chunk * (defaultChunkBytes + tagBytes) + 100]! ^= 0x20;
    writeFileSync(damaged, bytes);
    const file = await openStoredFile(damaged, vaultKey);
    expect((await readRange(file, 0, chunk * defaultChunkBytes - 1)).equals(original.subarray(0, chunk * defaultChunkBytes))).toBe(true);
    await expect(readRange(file, 0, file.size - 1)).rejects.toMatchObject({ code: 'VAULT_FILE_DAMAGED', message: expect.stringContaining(`chunk ${chunk} of`) });
    await file.close();
    const cut = join(work, 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 7));
    await expect(openStoredFile(cut, vaultKey)).resolves.toBeDefined();
    writeFileSync(cut, bytes.subarray(0, headerBytes + 3));
    await expect(openStoredFile(cut, vaultKey)).rejects.toMatchObject({ code: 'VAULT_FILE_DAMAGED', message: expect.stringContaining('is not that of a whole encrypted file') });
  });

  it('ffprobe reads the encrypted copy through the loopback server as it reads the original; the server answers only its own addresses', async () => {
    const server = new MediaInputServer(vaultKey);
    try {
      // a plain file is handed back as its path, and nothing listens
      expect(await server.input(testVideo(clips.sports2dH264))).toBe(testVideo(clips.sports2dH264));
      expect(server.listening).toBe(false);
      // so is a file that is not there: the reader names the problem as it would without encryption
      expect(await server.input(join(work, 'missing.mp4'))).toBe(join(work, 'missing.mp4'));
      await expect(probeVideo(await server.input(join(work, 'missing.mp4')))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
      const url = await server.input(vault.absolute(stored.vaultPath));
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{48}\/1\.mp4$/);
      expect(await server.input(vault.absolute(stored.vaultPath))).toBe(url);
      const [viaServer, direct] = await Promise.all([probeVideo(url), probeVideo(testVideo(clips.sports2dH264))]);
      expect(viaServer).toEqual({ ...direct, container: viaServer.container });
      const [scanned, scannedDirect] = await Promise.all([scanPackets(url), scanPackets(testVideo(clips.sports2dH264))]);
      expect(scanned.frameCount).toBe(scannedDirect.frameCount);
      // ranges as ffmpeg asks for them
      const ranged = await get(url, { Range: 'bytes=1000-1999' });
      expect(ranged.status).toBe(206);
      expect(ranged.headers['content-range']).toBe(`bytes 1000-1999/${original.length}`);
      expect(ranged.body.equals(original.subarray(1000, 2000))).toBe(true);
      const base = url.slice(0, url.indexOf('/', 'http://'.length));
      expect((await get(`${base}/${'0'.repeat(48)}/1.mp4`)).status).toBe(404);
      expect((await get(url.replace('/1.mp4', '/2.mp4'))).status).toBe(404);
      expect((await get(`${base}/etc/passwd`)).status).toBe(404);
      expect(server.redact(`ffprobe could not read ${url}`)).toBe(`ffprobe could not read ${vault.absolute(stored.vaultPath)}`);
      await server.close();
      await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await server.close();
    }
  });
});
