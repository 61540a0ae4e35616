/**
 * What encrypting walkscope.db at rest costs: the same store work on a plain and on an encrypted
 * data folder (SQLCipher 4's format through SQLite3 Multiple Ciphers, 4 KiB pages, HMAC-SHA512):
 * 10,000 made-up patients created through the audited repository (each a transaction, as the
 * app writes), a cold full read of the patients and of the audit chain's verification (every page
 * read and decrypted), and a backup folder. Prints ms for each (median of BENCH_REPEATS runs,
 * default 3), the ratio encrypted / plain and the database's MB/s; asserts nothing.
 * Run: npm run bench -- databaseEncryption
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src-main/store/store.js';
import { backupDataFolder } from '../../src-main/store/backup.js';
import { newDatabaseKey, type DatabaseKey } from '../../src-main/store/databaseKey.js';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const patients = 10_000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function run(key: DatabaseKey | null): Promise<{ create: number; read: number; verify: number; backup: number; bytes: number }> {
  const work = mkdtempSync(join(tmpdir(), 'walkscope-bench-enc-'));
  try {
    const dataDir = join(work, 'data');
    let store = await Store.open({ dataDir, databaseKey: key });
    let t = performance.now();
    for (let i = 0; i < patients; i++) store.patients.create('bench', `B${String(i).padStart(5, '0')}`, { name: `Made-up Patient ${i}`, notes: 'x'.repeat(200) });
    const create = performance.now() - t;
    store.close();
    const bytes = statSync(join(dataDir, 'walkscope.db')).size;
    t = performance.now();
    store = await Store.open({ dataDir, databaseKey: key }); // verifies the audit chain: reads every audit row
    const verify = performance.now() - t;
    t = performance.now();
    const rows = store.db.prepare('SELECT * FROM patients').all().length + store.db.prepare('SELECT * FROM audit_log').all().length;
    const read = performance.now() - t;
    if (rows < patients * 2) throw new Error(`read ${rows} rows`);
    t = performance.now();
    await backupDataFolder(store, 'bench', join(work, 'backup'), 'bench');
    const backup = performance.now() - t;
    store.close();
    return { create, read, verify, backup, bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const key: DatabaseKey = { hex: newDatabaseKey(), source: 'bench' };
const results: Record<'plain' | 'encrypted', Array<Awaited<ReturnType<typeof run>>>> = { plain: [], encrypted: [] };
for (let i = 0; i < repeats; i++) {
  results.plain.push(await run(null));
  results.encrypted.push(await run(key));
}
const m = (which: 'plain' | 'encrypted', field: 'create' | 'read' | 'verify' | 'backup') => median(results[which].map((r) => r[field]));
const mb = results.plain[0]!.bytes / 1e6;
console.log(`database of ${patients} made-up patients with their audit rows: ${mb.toFixed(1)} MB`);
for (const [field, label] of [['create', `create ${patients} patients (one transaction each)`], ['verify', 'open: audit chain verified'], ['read', 'read every patient and audit row'], ['backup', 'backup folder (database copy)']] as const) {
  const plain = m('plain', field);
  const encrypted = m('encrypted', field);
  console.log(`${label.padEnd(44)} plain ${plain.toFixed(0).padStart(6)} ms   encrypted ${encrypted.toFixed(0).padStart(6)} ms   x${(encrypted / plain).toFixed(2)}${field === 'create' ? '' : `   (${(mb / (encrypted / 1000)).toFixed(0)} MB/s encrypted)`}`);
}
