import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The layering rules of ARCHITECTURE.md as code. Each source file gets a layer from its folder;
 * each import is checked against what that layer may import. Used by a unit test, so a wrong
 * import fails `npm test`.
 */

export interface SourceFile {
  /** Path relative to the project root, forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a file imports (static, dynamic, side-effect and require). */
export function importsOf(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of withoutComments.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier) found.push(specifier);
  }
  return found;
}

/** The layer of a project path: 'renderer', or the folder under src-main (contract, domain, store, ...). */
export function layerOf(path: string): string | undefined {
  if (path.startsWith('src-renderer/')) return 'renderer';
  const match = /^src-main\/([^/]+)\//.exec(path);
  return match?.[1];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const nodeBuiltin = (specifier: string) => specifier.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'stream', 'url', 'util', 'events', 'module'].includes(specifier.split('/')[0] ?? '');

/** Packages only one layer may import. */
const ownedPackages: Array<{ test: (pkg: string) => boolean; owners: string[]; what: string }> = [
  { test: (p) => p === 'electron', owners: ['shell'], what: 'electron' },
  { test: (p) => p === 'better-sqlite3', owners: ['store'], what: 'better-sqlite3' },
  // runtime starts every onnxruntime session, for both stages
  { test: (p) => p === 'onnxruntime-node' || p === 'onnxruntime-common', owners: ['runtime'], what: 'onnxruntime-node' },
  { test: (p) => p.startsWith('@tensorflow/'), owners: ['detect'], what: 'tfjs' },
  // Dawn for Node: runtime/gpuAdapter.ts probes it for both stages (tfjs runs on what it returns)
  { test: (p) => p === 'webgpu', owners: ['runtime'], what: 'webgpu' },
];

/** Packages the pure layers (contract, domain, renderer) may use. */
const pureLayerPackages = new Set(['zod', 'svelte']);

export function checkFile(file: SourceFile): Violation[] {
  const layer = layerOf(file.path);
  if (!layer) return [];
  const violations: Violation[] = [];
  for (const specifier of importsOf(file.text)) {
    const isRelative = specifier.startsWith('.');
    if (isRelative) {
      const target = normalize(join(dirname(file.path), specifier)).split(sep).join('/');
      const targetLayer = layerOf(target);
      if (layer === 'renderer' && target.startsWith('src-main/') && targetLayer !== 'contract' && targetLayer !== 'domain') {
        violations.push({ file: file.path, specifier, rule: 'the renderer may import only src-main/contract and src-main/domain' });
      }
      if ((layer === 'contract' || layer === 'domain') && targetLayer !== 'contract' && targetLayer !== 'domain') {
        violations.push({ file: file.path, specifier, rule: `${layer} may import only contract and domain` });
      }
      continue;
    }
    const pkg = packageName(specifier);
    if (nodeBuiltin(specifier)) {
      if (layer === 'contract' || layer === 'domain' || layer === 'renderer') {
        violations.push({ file: file.path, specifier, rule: `${layer} must not import Node built-ins` });
      }
      continue;
    }
    for (const owned of ownedPackages) {
      if (owned.test(pkg) && !owned.owners.includes(layer)) {
        violations.push({ file: file.path, specifier, rule: `only src-main/${owned.owners.join(' and src-main/')} may import ${owned.what}` });
      }
    }
    if ((layer === 'contract' || layer === 'domain' || layer === 'renderer') && !pureLayerPackages.has(pkg)) {
      violations.push({ file: file.path, specifier, rule: `${layer} may use only ${[...pureLayerPackages].join(', ')} among packages` });
    }
  }
  return violations;
}

/** Reads every .ts / .svelte file under the given project folders. */
export function readSources(root: string, folders = ['src-main', 'src-renderer']): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|cts|mts|svelte)$/.test(name)) files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files;
}

export function checkLayering(files: SourceFile[]): Violation[] {
  return files.flatMap(checkFile);
}
