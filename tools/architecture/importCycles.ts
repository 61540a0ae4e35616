import { dirname, join, normalize, sep } from 'node:path';
import { importsOf, type SourceFile } from './layering.js';

/**
 * Import circles among project files: every relative import counts (static, type-only,
 * dynamic, side-effect), because each ties the two files' designs together even where the
 * runtime would cope. Used by a unit test, so a circle fails `npm test`.
 */

/** The project files each file imports (relative specifiers resolved; `.js` means the `.ts` beside it). */
export function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const paths = new Set(files.map((f) => f.path));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importsOf(file.text)) {
      if (!specifier.startsWith('.')) continue;
      const target = normalize(join(dirname(file.path), specifier)).split(sep).join('/');
      const source = target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target;
      if (paths.has(source)) targets.add(source);
      else if (paths.has(target)) targets.add(target);
    }
    graph.set(file.path, [...targets]);
  }
  return graph;
}

/**
 * The circles of a graph: its strongly connected components of more than one file, or of one
 * file importing itself (Tarjan's algorithm), each sorted, in a stable order.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
