import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * resources/models.lock.json: every detection model file WalkScope ships, with its size,
 * SHA-256, the npm package and version it is copied from, and its licence. The build step
 * (tools/copyModels.ts) checks files against it when copying; modelFiles.ts when loading.
 */
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits');

export const modelLockSchema = z.object({
  comment: z.string().optional(),
  source: z.object({ package: z.string().min(1), version: z.string().min(1), license: z.string().min(1), folder: z.string().min(1) }),
  files: z
    .array(
      z.object({
        name: z.string().regex(/^[\w.-]+$/, 'a plain file name'),
        model: z.string().min(1),
        size: z.number().int().positive(),
        sha256: sha256Hex,
        package: z.string().min(1),
        version: z.string().min(1),
        license: z.string().min(1),
      }),
    )
    .min(1),
});

export type ModelLock = z.infer<typeof modelLockSchema>;
export type ModelLockEntry = ModelLock['files'][number];

export const lockFileName = 'models.lock.json';
export const modelsFolderName = 'models';

export function readModelLock(path: string): ModelLock {
  if (!existsSync(path)) throw new Error(`the model lock file ${path} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`the model lock file ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = modelLockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the model lock file ${path} is malformed at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What is wrong with one model file on disk, or its bytes when it matches the lock. */
export type FileCheck =
  | { ok: true; bytes: Buffer }
  | { ok: false; problem: 'missing'; path: string }
  | { ok: false; problem: 'size' | 'hash'; path: string; expected: string; actual: string };

export function checkModelFile(dir: string, entry: ModelLockEntry): FileCheck {
  const path = join(dir, entry.name);
  if (!existsSync(path) || !statSync(path).isFile()) return { ok: false, problem: 'missing', path };
  const size = statSync(path).size;
  if (size !== entry.size) return { ok: false, problem: 'size', path, expected: `${entry.size} bytes`, actual: `${size} bytes` };
  const bytes = readFileSync(path);
  const hash = sha256Of(bytes);
  if (hash !== entry.sha256) return { ok: false, problem: 'hash', path, expected: entry.sha256, actual: hash };
  return { ok: true, bytes };
}

/** One sentence for a failed check (without the advice on how to fix it). */
export function describeCheck(check: Exclude<FileCheck, { ok: true }>): string {
  if (check.problem === 'missing') return `${check.path} is missing`;
  const what = check.problem === 'size' ? 'size' : 'SHA-256';
  return `${check.path} has ${what} ${check.actual}, but resources/${lockFileName} expects ${check.expected}`;
}

/**
 * The folder holding models.lock.json and models/: WALKSCOPE_RESOURCES_DIR when set, else
 * Electron's process.resourcesPath in a packaged app (electron-builder's extraResources put
 * them there), else walking up from this module: an enclosing folder named resources (a
 * packaged app, from threads without process.resourcesPath) or a resources/ beside one (the
 * project root, for source and built code). Returns the places looked at when none has a lock.
 */
export function findResourcesDir(moduleUrl: string = import.meta.url): { dir: string } | { searched: string[] } {
  const searched: string[] = [];
  const candidates: string[] = [];
  const fromEnv = process.env.WALKSCOPE_RESOURCES_DIR;
  if (fromEnv) candidates.push(fromEnv);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(resourcesPath);
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 8; i++) {
    // a packaged app's own resources folder (Resources on macOS) holds app.asar, models/ and the lock,
    // for threads where Electron's process.resourcesPath is not set
    if (basename(dir).toLowerCase() === 'resources' && !candidates.includes(dir)) candidates.push(dir);
    candidates.push(join(dir.replace('app.asar', 'app.asar.unpacked'), 'resources'));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const candidate of candidates) {
    searched.push(candidate);
    if (existsSync(join(candidate, lockFileName))) return { dir: candidate };
  }
  return { searched };
}
