import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { importCycles, importGraph } from '../../../tools/architecture/importCycles.js';
import { readSources } from '../../../tools/architecture/layering.js';

const root = resolve(import.meta.dirname, '../../..');

describe('import circles', () => {
  it('none among the files of detect, classify and runtime (type-only and dynamic imports count)', () => {
    const folders = ['src-main/detect/', 'src-main/classify/', 'src-main/runtime/'];
    const cycles = importCycles(importGraph(readSources(root, ['src-main'])));
    expect(cycles.filter((cycle) => cycle.some((file) => folders.some((folder) => file.startsWith(folder))))).toEqual([]);
  });

  it('finds a circle through a type-only import and a dynamic one, and no circle in a chain', () => {
    const graph = importGraph([
      { path: 'src-main/detect/factory.ts', text: `const { Model } = await import('./model.js');` },
      { path: 'src-main/detect/model.ts', text: `import type { Spec } from './factory.js';\nimport { table } from './specs.js';` },
      { path: 'src-main/detect/specs.ts', text: `import { z } from 'zod';` },
    ]);
    expect(graph.get('src-main/detect/model.ts')).toEqual(['src-main/detect/factory.ts', 'src-main/detect/specs.ts']);
    expect(importCycles(graph)).toEqual([['src-main/detect/factory.ts', 'src-main/detect/model.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
    expect(importCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
  });
});
