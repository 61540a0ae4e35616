import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The layering of src-main and src-renderer as code, after VS Code's `code-layering` rule:
 * every folder of src-main is a layer, src-renderer is the layer `renderer`, and each layer
 * lists what it may import. A second check finds import cycles between files. Both run in
 * test/unit/architecture/layering.test.ts, so a wrong import or a cycle fails `npm test`.
 * docs/ARCHITECTURE.md describes the folders and this table.
 */

export interface SourceFile {
  /** Path relative to the project root, forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  /** The import that breaks the rule; absent when the file itself has no layer. */
  specifier?: string;
  rule: string;
}

export type LayerName =
  | 'contract'
  | 'domain'
  | 'filecrypt'
  | 'store'
  | 'media'
  | 'runtime'
  | 'detect'
  | 'classify'
  | 'measure'
  | 'report'
  | 'jobs'
  | 'remote'
  | 'services'
  | 'cli'
  | 'server'
  | 'shell'
  | 'renderer';

export interface Layer {
  /** The layers (folders of src-main) this layer may import besides itself. */
  imports: readonly LayerName[];
  /** The packages it may import: only these, or `any` package that no other layer owns. */
  packages: 'any' | readonly string[];
  /** Packages no other layer may import; `@scope/*` stands for every package of the scope. */
  owns: readonly string[];
  /** Whether it may import Node built-ins (`node:fs`, `path`, ...). */
  nodeBuiltins: boolean;
}

/** The packages the pure layers (contract, domain, renderer) may use. */
const purePackages = ['zod', 'svelte', 'i18next'] as const;

const pure = (imports: readonly LayerName[]): Layer => ({ imports, packages: purePackages, owns: [], nodeBuiltins: false });
const node = (imports: readonly LayerName[], owns: readonly string[] = []): Layer => ({ imports, packages: 'any', owns, nodeBuiltins: true });

/**
 * The one table. Order: contract < domain < store, media < runtime < detect, classify, report
 * < measure (after detect) < jobs < remote < services < cli, server < shell; the renderer sees only
 * contract and domain.
 */
export const layers: Readonly<Record<LayerName, Layer>> = {
  contract: pure([]),
  domain: pure(['contract']),
  // the vault's encrypted file format, the readers of stored files and the loopback server ffmpeg reads them through
  filecrypt: node(['contract', 'domain']),
  store: node(['contract', 'domain', 'filecrypt'], ['better-sqlite3']),
  media: node(['contract', 'domain']),
  runtime: node(['contract', 'domain', 'media'], ['onnxruntime-node', 'onnxruntime-common', 'webgpu']),
  detect: node(['contract', 'domain', 'media', 'runtime'], ['@tensorflow/*']),
  classify: node(['contract', 'domain', 'media', 'runtime']),
  // the pose refinement and the measurement work: it runs stage 1's pose models on the patient
  measure: node(['contract', 'domain', 'media', 'runtime', 'detect']),
  report: node(['contract', 'domain']),
  jobs: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'detect', 'classify', 'measure', 'report']),
  // the job queue on Redis (BullMQ): the coordinator's executor, `walkscope worker`, the shared media folder
  remote: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'jobs'], ['bullmq', 'ioredis']),
  services: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'detect', 'classify', 'measure', 'report', 'jobs', 'remote']),
  cli: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'detect', 'classify', 'measure', 'report', 'jobs', 'remote', 'services']),
  server: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'detect', 'classify', 'measure', 'report', 'jobs', 'remote', 'services']),
  shell: node(['contract', 'domain', 'filecrypt', 'store', 'media', 'runtime', 'detect', 'classify', 'measure', 'report', 'jobs', 'services', 'server'], ['electron']),
  renderer: pure(['contract', 'domain']),
};

const isLayerName = (name: string): name is LayerName => Object.hasOwn(layers, name);

/** Where a project path sits: the folder that decides its layer, and that layer if the table has one. */
interface Place {
  /** `src-renderer`, `src-main/<folder>`, or the path itself for a file directly in src-main. */
  folder: string;
  layer?: LayerName;
}

function placeOf(path: string): Place | undefined {
  if (path.startsWith('src-renderer/')) return { folder: 'src-renderer', layer: 'renderer' };
  if (!path.startsWith('src-main/')) return undefined;
  const match = /^src-main\/([^/]+)\//.exec(path);
  const name = match?.[1];
  if (!name) return { folder: path };
  // `renderer` names src-renderer; a folder src-main/renderer would be a new, unplaced folder.
  return name !== 'renderer' && isLayerName(name) ? { folder: `src-main/${name}`, layer: name } : { folder: `src-main/${name}` };
}

/** The layer of a project path: `renderer` for src-renderer, else its folder under src-main if the table has it. */
export function layerOf(path: string): LayerName | undefined {
  return placeOf(path)?.layer;
}

/** The scripts of a .svelte file, the whole text of anything else. */
function scriptsOf(text: string, path: string): string[] {
  if (!path.endsWith('.svelte')) return [text];
  // Attribute values may hold `>` (generics="T extends Array<number>"), so quoted values are skipped whole.
  return [...text.matchAll(/<script\b(?:[^>"']|"[^"]*"|'[^']*')*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
}

const literalText = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** The module a node imports, if it is an import: static, type-only, re-export, `import()`, `import('x').T`, `require()`. */
function specifierOf(node: ts.Node): string | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return literalText(node.moduleSpecifier);
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) return literalText(node.moduleReference.expression);
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return literalText(node.argument.literal);
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    if (isImport || isRequire) return literalText(node.arguments[0]);
  }
  return undefined;
}

/**
 * Every module specifier a file imports, in source order: static, type-only, side-effect,
 * re-export, dynamic `import()`, `import('x')` types and `require()`. The text is parsed by
 * TypeScript, so comments and strings that look like imports are not counted. `path` tells a
 * .svelte file (whose <script> blocks are read) from a TypeScript module.
 */
export function importsOf(text: string, path = 'module.ts'): string[] {
  const found: string[] = [];
  for (const script of scriptsOf(text, path)) {
    const source = ts.createSourceFile(path, script, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      const specifier = specifierOf(node);
      if (specifier !== undefined) found.push(specifier);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const matchesPackage = (pattern: string, pkg: string) => (pattern.endsWith('/*') ? pkg.startsWith(pattern.slice(0, -1)) : pkg === pattern);

/** The layer that owns a package and the table's name for it, if some layer owns it. */
function ownerOf(pkg: string): { owner: LayerName; pattern: string } | undefined {
  for (const [owner, layer] of Object.entries(layers) as Array<[LayerName, Layer]>) {
    const pattern = layer.owns.find((p) => matchesPackage(p, pkg));
    if (pattern) return { owner, pattern };
  }
  return undefined;
}

/** The rule a layer breaks by importing `target` (a layer name, or a folder or file without one). */
function layerRule(name: LayerName, target: string): string {
  const allowed = layers[name].imports;
  return allowed.length === 0 ? `${name} may import no other layer (not ${target})` : `${name} may import only ${allowed.join(', ')} (not ${target})`;
}

/** The rule an import of a project file breaks, if any. */
function relativeRule(name: LayerName, target: string): string | undefined {
  const place = placeOf(target);
  if (!place) return `${name} may import only files in src-main and src-renderer (not ${target})`;
  if (place.layer === name) return undefined;
  if (place.layer && layers[name].imports.includes(place.layer)) return undefined;
  return layerRule(name, place.layer ?? place.folder);
}

/** The rule an import of a package or a Node built-in breaks, if any. */
function packageRule(name: LayerName, specifier: string): string | undefined {
  const layer = layers[name];
  if (isBuiltin(specifier)) return layer.nodeBuiltins ? undefined : `${name} must not import Node built-ins`;
  const pkg = packageName(specifier);
  if (layer.packages !== 'any') {
    return layer.packages.includes(pkg) ? undefined : `${name} may import only the packages ${layer.packages.join(', ')} (not ${pkg})`;
  }
  const owned = ownerOf(pkg);
  return owned && owned.owner !== name ? `only src-main/${owned.owner} may import ${owned.pattern}` : undefined;
}

/** The violations of one file: a folder with no layer, or each import its layer may not make. */
export function checkFile(file: SourceFile): Violation[] {
  const place = placeOf(file.path);
  if (!place) return [];
  const name = place.layer;
  if (!name) return [{ file: file.path, rule: `${place.folder} has no layer in tools/architecture/layering.ts` }];
  const violations: Violation[] = [];
  for (const specifier of importsOf(file.text, file.path)) {
    const rule = specifier.startsWith('.') ? relativeRule(name, posix.join(posix.dirname(file.path), specifier)) : packageRule(name, specifier);
    if (rule) violations.push({ file: file.path, specifier, rule });
  }
  return violations;
}

export function checkLayering(files: SourceFile[]): Violation[] {
  return files.flatMap(checkFile);
}

/** One line per violation: `file: specifier (rule)`. */
export function formatViolation(violation: Violation): string {
  return violation.specifier === undefined ? `${violation.file} (${violation.rule})` : `${violation.file}: ${violation.specifier} (${violation.rule})`;
}

/** Reads every .ts / .svelte file under the given project folders. */
export function readSources(root: string, folders = ['src-main', 'src-renderer']): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|cts|mts|svelte)$/.test(name)) files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files;
}

/**
 * The file a relative specifier names among `known` paths: the path itself (`./View.svelte`),
 * the TypeScript source of a .js/.mjs/.cjs specifier (`./x.js` -> x.ts, `./state.svelte.js`
 * -> state.svelte.ts), an extensionless module (`./x` -> x.ts) or a folder's index.ts.
 * Packages, and files outside `known` (stylesheets, JSON), give undefined.
 */
export function resolveImport(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\/$/, '');
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base.replace(/\.cjs$/, '.cts'),
    `${base}.ts`,
    `${base}/index.ts`,
  ];
  return candidates.find((candidate) => known.has(candidate));
}

/** Each file's imports of other files in the set, counting every import form alike; sorted, without repeats. */
export function importGraph(files: SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((file) => file.path));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importsOf(file.text, file.path)) {
      const target = resolveImport(file.path, specifier, known);
      if (target) targets.add(target);
    }
    graph.set(file.path, [...targets].sort());
  }
  return graph;
}

/** The strongly connected components of a graph (Tarjan), each sorted, in order of their first file. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const seen = new Map<string, { index: number; low: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string): { index: number; low: number } => {
    const node = { index: seen.size, low: seen.size };
    seen.set(file, node);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      const known = seen.get(next);
      if (!known) node.low = Math.min(node.low, connect(next).low);
      else if (onStack.has(next)) node.low = Math.min(node.low, known.index);
    }
    if (node.low === node.index) {
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === file) break;
      }
      components.push(component.sort());
    }
    return node;
  };
  for (const file of [...graph.keys()].sort()) if (!seen.has(file)) connect(file);
  return components.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** The shortest cycle from `start` back to itself through other files of `members` (breadth first), as a closed path. */
function shortestCycle(graph: Map<string, string[]>, members: ReadonlySet<string>, start: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const file = queue[head] ?? start;
    for (const next of graph.get(file) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        // A self-import is reported on its own.
        if (file === start) continue;
        const path = [file];
        for (let at = previous.get(file); at !== undefined; at = previous.get(at)) path.unshift(at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/**
 * The import cycles among the files: for every strongly connected component of more than one
 * file, shortest cycles that together pass through each of its files (starting from its first
 * file not yet on a reported cycle), and every file that imports itself. Each cycle is a closed
 * path of project paths, the first file repeated at the end.
 */
export function findCycles(files: SourceFile[]): string[][] {
  const graph = importGraph(files);
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    const covered = new Set<string>();
    for (const file of component) {
      if ((graph.get(file) ?? []).includes(file)) cycles.push([file, file]);
      if (component.length === 1 || covered.has(file)) continue;
      const cycle = shortestCycle(graph, members, file);
      if (!cycle) continue;
      cycles.push(cycle);
      for (const member of cycle) covered.add(member);
    }
  }
  return cycles;
}

/** A cycle as one readable line: `a.ts -> b.ts -> a.ts`. */
export function formatCycle(cycle: string[]): string {
  return cycle.join(' -> ');
}
