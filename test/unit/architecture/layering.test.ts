import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import {
  checkFile,
  checkLayering,
  findCycles,
  formatCycle,
  formatViolation,
  importsOf,
  layers,
  readSources,
  resolveImport,
  type LayerName,
  type SourceFile,
} from '../../../tools/architecture/layering.js';

const root = resolve(import.meta.dirname, '../../..');

describe('the real project (src-main and src-renderer)', () => {
  const sources = readSources(root);

  it('breaks no layering rule of tools/architecture/layering.ts', () => {
    expect(checkLayering(sources).map(formatViolation)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(sources).map(formatCycle)).toEqual([]);
  });
});

describe('layering rules', () => {
  it('finds imports of every form', () => {
    const text = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './side.css';\nconst d = await import('./d.js');\nconst e = require('e');\n// import x from 'commented';`;
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './side.css', './d.js', 'e']);
  });

  it('finds namespace re-exports, inline type imports and import() types, and skips look-alikes in comments and strings', () => {
    const text = [
      `export * as n from './n.js';`,
      `import { type Q } from './q.js';`,
      `export type { R } from './r.js';`,
      `let s: typeof import('./s.js');`,
      `const glob = '/* not a comment';`,
      `const help = \`import x from './t.js'\`;`,
      `/* import y from './u.js'; */`,
      `function later() { return import('./v.js'); }`,
    ].join('\n');
    expect(importsOf(text)).toEqual(['./n.js', './q.js', './r.js', './s.js', './v.js']);
  });

  it('reads the <script> blocks of a .svelte file', () => {
    const text = `<script module lang="ts" generics="T extends Array<number>">\n  import { a } from './a.js';\n</script>\n<script lang="ts">\n  import B from './B.svelte';\n</script>\n<p>import c from './c.js'</p>`;
    expect(importsOf(text, 'src-renderer/views/V.svelte')).toEqual(['./a.js', './B.svelte']);
  });

  const wrong: Array<[string, string, string]> = [
    // The rules that held before the table, in its wording.
    ['src-main/domain/bad.ts', `import { readFileSync } from 'node:fs';`, 'domain must not import Node built-ins'],
    ['src-main/contract/bad.ts', `import { Store } from '../store/store.js';`, 'contract may import no other layer (not store)'],
    ['src-renderer/views/bad.ts', `import { Store } from '../../src-main/store/store.js';`, 'renderer may import only contract, domain (not store)'],
    ['src-renderer/views/bad2.ts', `import { join } from 'node:path';`, 'renderer must not import Node built-ins'],
    ['src-main/services/bad.ts', `import { app } from 'electron';`, 'only src-main/shell may import electron'],
    ['src-main/services/bad.ts', `import Database from 'better-sqlite3';`, 'only src-main/store may import better-sqlite3'],
    ['src-main/detect/bad.ts', `import * as ort from 'onnxruntime-node';`, 'only src-main/runtime may import onnxruntime-node'],
    ['src-main/classify/bad.ts', `import * as tf from '@tensorflow/tfjs';`, 'only src-main/detect may import @tensorflow/*'],
    ['src-main/services/bad.ts', `import { create } from 'webgpu';`, 'only src-main/runtime may import webgpu'],
    // The order of the table.
    ['src-main/detect/bad.ts', `import { spawnWorker } from '../jobs/spawnWorker.js';`, 'detect may import only contract, domain, media, runtime (not jobs)'],
    ['src-main/classify/bad.ts', `import type { Detector } from '../detect/detector.js';`, 'classify may import only contract, domain, media, runtime (not detect)'],
    ['src-main/store/bad.ts', `const { handlers } = await import('../services/handlers.js');`, 'store may import only contract, domain, filecrypt (not services)'],
    ['src-main/contract/bad.ts', `export type { Box } from '../domain/detectionTypes.js';`, 'contract may import no other layer (not domain)'],
    ['src-main/report/bad.ts', `import { probe } from '../media/probe.js';`, 'report may import only contract, domain (not media)'],
    ['src-main/shell/bad.ts', `import { main } from '../cli/main.js';`, 'shell may import only contract, domain, filecrypt, store, media, runtime, detect, classify, measure, report, jobs, services, server (not cli)'],
    ['src-main/services/bad.ts', `import { format } from '../../src-renderer/lib/format.js';`, 'services may import only contract, domain, filecrypt, store, media, runtime, detect, classify, measure, report, jobs, remote (not renderer)'],
    ['src-main/services/bad.ts', `import { x } from '../plugins/x.js';`, 'services may import only contract, domain, filecrypt, store, media, runtime, detect, classify, measure, report, jobs, remote (not src-main/plugins)'],
    ['src-main/services/bad.ts', `import { lock } from '../../tools/modelLock.js';`, 'services may import only files in src-main and src-renderer (not tools/modelLock.js)'],
    ['src-renderer/views/bad3.ts', `import { session } from '../../src-main/runtime/session.js';`, 'renderer may import only contract, domain (not runtime)'],
    // Packages of the pure layers.
    ['src-main/domain/bad.ts', `import yauzl from 'yauzl';`, 'domain may import only the packages zod, svelte, i18next (not yauzl)'],
    ['src-renderer/views/bad4.ts', `import { ipcRenderer } from 'electron';`, 'renderer may import only the packages zod, svelte, i18next (not electron)'],
    ['src-main/contract/bad.ts', `import { gunzipSync } from 'zlib';`, 'contract must not import Node built-ins'],
    // Folders and files without a layer.
    ['src-main/plugins/x.ts', `import { z } from 'zod';`, 'src-main/plugins has no layer in tools/architecture/layering.ts'],
    ['src-main/renderer/x.ts', ``, 'src-main/renderer has no layer in tools/architecture/layering.ts'],
    ['src-main/loose.ts', ``, 'src-main/loose.ts has no layer in tools/architecture/layering.ts'],
  ];
  for (const [path, text, rule] of wrong) {
    it(`fails on a deliberately wrong import: ${path} -> ${text || '(no import)'}`, () => {
      expect(checkFile({ path, text }).map((v) => v.rule)).toEqual([rule]);
    });
  }

  it('names the file and the import in each line it reports', () => {
    const violations = checkLayering([
      { path: 'src-main/detect/detectVideo.ts', text: `import { spawnWorker } from '../jobs/spawnWorker.js';` },
      { path: 'src-main/plugins/x.ts', text: `` },
    ]);
    expect(violations.map(formatViolation)).toEqual([
      'src-main/detect/detectVideo.ts: ../jobs/spawnWorker.js (detect may import only contract, domain, media, runtime (not jobs))',
      'src-main/plugins/x.ts (src-main/plugins has no layer in tools/architecture/layering.ts)',
    ]);
  });

  it('accepts the imports each layer is allowed', () => {
    const ok: SourceFile[] = [
      { path: 'src-renderer/views/ok.ts', text: `import { methods } from '../../src-main/contract/methods.js';\nimport { auc } from '../../src-main/domain/stats/roc.js';\nimport { writable } from 'svelte/store';\nimport './ok.css';` },
      { path: 'src-main/store/ok.ts', text: `import Database from 'better-sqlite3';\nimport { join } from 'node:path';\nimport { gzipSync } from 'zlib';` },
      { path: 'src-main/domain/ok.ts', text: `import type { Box } from './detectionTypes.js';\nimport { errors } from '../contract/errors.js';\nimport { z } from 'zod';` },
      { path: 'src-main/runtime/ok.ts', text: `import * as ort from 'onnxruntime-node';\nimport type { Tensor } from 'onnxruntime-common';\nimport { create } from 'webgpu';\nimport { probe } from '../media/probe.js';` },
      { path: 'src-main/detect/ok.ts', text: `import * as tf from '@tensorflow/tfjs-core';\nimport { session } from '../runtime/session.js';\nimport { probe } from '../media/probe.js';` },
      { path: 'src-main/classify/ok.ts', text: `import { session } from '../runtime/session.js';\nimport yauzl from 'yauzl';` },
      { path: 'src-main/report/ok.ts', text: `import PDFDocument from 'pdfkit';\nimport { auc } from '../domain/stats/roc.js';` },
      { path: 'src-main/jobs/ok.ts', text: `import { detect } from '../detect/detectVideo.js';\nimport { classify } from '../classify/classifyVideo.js';\nimport { Store } from '../store/store.js';` },
      { path: 'src-main/services/ok.ts', text: `import { spawnWorker } from '../jobs/spawnWorker.js';\nimport { report } from '../report/studyReport.js';` },
      { path: 'src-main/server/ok.ts', text: `import { WebSocketServer } from 'ws';\nimport { createApp } from '../services/walkscopeApp.js';` },
      { path: 'src-main/cli/ok.ts', text: `import { createApp } from '../services/walkscopeApp.js';\nimport { prepare } from '../detect/prepareFolder.js';` },
      { path: 'src-main/shell/ok.ts', text: `import { app } from 'electron';\nimport { serve } from '../server/serveServer.js';\nimport { Store } from '../store/store.js';` },
    ];
    expect(checkLayering(ok).map(formatViolation)).toEqual([]);
  });

  it('orders the layers: no layer may import one that may import it, and none may import the renderer', () => {
    const reachable = (from: LayerName): Set<LayerName> => {
      const found = new Set<LayerName>();
      const visit = (name: LayerName) => {
        for (const next of layers[name].imports) {
          if (found.has(next)) continue;
          found.add(next);
          visit(next);
        }
      };
      visit(from);
      return found;
    };
    const names = Object.keys(layers) as LayerName[];
    expect(names.filter((name) => reachable(name).has(name))).toEqual([]);
    expect(names.filter((name) => layers[name].imports.includes('renderer'))).toEqual([]);
  });
});

describe('import cycles', () => {
  const cyclesOf = (files: SourceFile[]) => findCycles(files).map(formatCycle);

  it('finds a two-file cycle', () => {
    const files = [
      { path: 'src-main/services/app.ts', text: `import { handlers } from './handlers.js';` },
      { path: 'src-main/services/handlers.ts', text: `import { App } from './app.js';` },
    ];
    expect(cyclesOf(files)).toEqual(['src-main/services/app.ts -> src-main/services/handlers.ts -> src-main/services/app.ts']);
  });

  it('finds a three-file cycle through a type-only import and a dynamic import()', () => {
    const files = [
      { path: 'src-main/detect/a.ts', text: `import { b } from './b.js';` },
      { path: 'src-main/detect/b.ts', text: `import type { C } from './c.js';` },
      { path: 'src-main/detect/c.ts', text: `export async function c() { return (await import('./a.js')).a; }` },
    ];
    expect(cyclesOf(files)).toEqual(['src-main/detect/a.ts -> src-main/detect/b.ts -> src-main/detect/c.ts -> src-main/detect/a.ts']);
  });

  it('finds cycles through re-exports, index files, .svelte files and .svelte.ts modules', () => {
    const files = [
      { path: 'src-main/jobs/index.ts', text: `export * from './queue.js';` },
      { path: 'src-main/jobs/queue.ts', text: `import { kinds } from '.';` },
      { path: 'src-renderer/views/A.svelte', text: `<script lang="ts">\n  import { state } from '../lib/state/counter.svelte.js';\n</script>` },
      { path: 'src-renderer/lib/state/counter.svelte.ts', text: `import type A from '../../views/A.svelte';` },
    ];
    expect(cyclesOf(files)).toEqual([
      'src-main/jobs/index.ts -> src-main/jobs/queue.ts -> src-main/jobs/index.ts',
      'src-renderer/lib/state/counter.svelte.ts -> src-renderer/views/A.svelte -> src-renderer/lib/state/counter.svelte.ts',
    ]);
  });

  it('finds a file that imports itself', () => {
    expect(cyclesOf([{ path: 'src-main/domain/units.ts', text: `export { mm } from './units.js';` }])).toEqual(['src-main/domain/units.ts -> src-main/domain/units.ts']);
  });

  it('covers every file of a larger strongly connected component with short cycles', () => {
    const files = [
      { path: 'src-main/detect/detector.ts', text: `const a = () => import('./centerNet.js');\nconst b = () => import('./moveNet.js');` },
      { path: 'src-main/detect/centerNet.ts', text: `import { specs } from './detector.js';` },
      { path: 'src-main/detect/moveNet.ts', text: `import { specs } from './detector.js';` },
    ];
    expect(cyclesOf(files)).toEqual([
      'src-main/detect/centerNet.ts -> src-main/detect/detector.ts -> src-main/detect/centerNet.ts',
      'src-main/detect/moveNet.ts -> src-main/detect/detector.ts -> src-main/detect/moveNet.ts',
    ]);
  });

  it('passes an acyclic graph, packages and non-source files', () => {
    const files = [
      { path: 'src-main/services/app.ts', text: `import { a } from './a.js';\nimport { b } from './b.js';\nimport { z } from 'zod';` },
      { path: 'src-main/services/a.ts', text: `import type { Shared } from './shared.js';\nexport const a = () => import('./b.js');` },
      { path: 'src-main/services/b.ts', text: `export * from './shared.js';\nimport data from './data.json' with { type: 'json' };` },
      { path: 'src-main/services/shared.ts', text: `import { units } from '../../src-main/domain/units.js';` },
      { path: 'src-main/domain/units.ts', text: `export const units = 1;` },
      { path: 'src-renderer/App.svelte', text: `<script lang="ts">\n  import List from './List.svelte';\n  import './app.css';\n</script>` },
      { path: 'src-renderer/List.svelte', text: `<script lang="ts">\n  import { units } from '../src-main/domain/units.js';\n</script>` },
    ];
    expect(cyclesOf(files)).toEqual([]);
  });

  it('resolves relative specifiers to source files', () => {
    const known = new Set(['src/a.ts', 'src/V.svelte', 'src/state.svelte.ts', 'src/lib/index.ts', 'src/w.mts']);
    expect(resolveImport('src/b.ts', './a.js', known)).toBe('src/a.ts');
    expect(resolveImport('src/b.ts', './a', known)).toBe('src/a.ts');
    expect(resolveImport('src/b.ts', './V.svelte', known)).toBe('src/V.svelte');
    expect(resolveImport('src/b.ts', './state.svelte.js', known)).toBe('src/state.svelte.ts');
    expect(resolveImport('src/b.ts', './state.svelte', known)).toBe('src/state.svelte.ts');
    expect(resolveImport('src/b.ts', './lib', known)).toBe('src/lib/index.ts');
    expect(resolveImport('src/b.ts', './lib/index.js', known)).toBe('src/lib/index.ts');
    expect(resolveImport('src/lib/x.ts', '.', known)).toBe('src/lib/index.ts');
    expect(resolveImport('src/lib/x.ts', '../w.mjs', known)).toBe('src/w.mts');
    expect(resolveImport('src/b.ts', './app.css', known)).toBeUndefined();
    expect(resolveImport('src/b.ts', 'zod', known)).toBeUndefined();
  });
});
