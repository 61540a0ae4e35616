import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { checkFile, checkLayering, importsOf, readSources } from '../../../tools/architecture/layering.js';

const root = resolve(import.meta.dirname, '../../..');

describe('layering rules of ARCHITECTURE.md', () => {
  it('hold for every source file in the project', () => {
    const violations = checkLayering(readSources(root));
    expect(violations.map((v) => `${v.file}: ${v.specifier} (${v.rule})`)).toEqual([]);
  });

  it('finds imports of every form', () => {
    const text = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './side.css';\nconst d = await import('./d.js');\nconst e = require('e');\n// import x from 'commented';`;
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './side.css', './d.js', 'e']);
  });

  const wrong: Array<[string, string, string]> = [
    ['src-main/domain/bad.ts', `import { readFileSync } from 'node:fs';`, 'domain must not import Node built-ins'],
    ['src-main/contract/bad.ts', `import { Store } from '../store/store.js';`, 'contract may import only contract and domain'],
    ['src-renderer/views/bad.ts', `import { Store } from '../../src-main/store/store.js';`, 'the renderer may import only src-main/contract and src-main/domain'],
    ['src-renderer/views/bad2.ts', `import { join } from 'node:path';`, 'renderer must not import Node built-ins'],
    ['src-main/services/bad.ts', `import { app } from 'electron';`, 'only src-main/shell may import electron'],
    ['src-main/services/bad.ts', `import Database from 'better-sqlite3';`, 'only src-main/store may import better-sqlite3'],
    ['src-main/detect/bad.ts', `import * as ort from 'onnxruntime-node';`, 'only src-main/runtime may import onnxruntime-node'],
    ['src-main/classify/bad.ts', `import * as tf from '@tensorflow/tfjs';`, 'only src-main/detect may import tfjs'],
    ['src-main/services/bad.ts', `import { create } from 'webgpu';`, 'only src-main/runtime may import webgpu'],
  ];
  for (const [path, text, rule] of wrong) {
    it(`fails on a deliberately wrong import: ${path} -> ${text}`, () => {
      expect(checkFile({ path, text }).map((v) => v.rule)).toContain(rule);
    });
  }

  it('accepts the imports each layer is allowed', () => {
    expect(checkFile({ path: 'src-renderer/views/ok.ts', text: `import { methods } from '../../src-main/contract/methods.js';\nimport { auc } from '../../src-main/domain/stats/roc.js';` })).toEqual([]);
    expect(checkFile({ path: 'src-main/store/ok.ts', text: `import Database from 'better-sqlite3';\nimport { join } from 'node:path';` })).toEqual([]);
    expect(checkFile({ path: 'src-main/domain/ok.ts', text: `import type { Box } from './detectionTypes.js';` })).toEqual([]);
  });
});
