/**
 * Minimum-cost assignment (the Hungarian method with row/column potentials, O(n^2 m)) for a
 * rectangular cost matrix. Pairs whose cost is above `maxCost` (or not finite) are never
 * returned: they are modelled as "leave unmatched" at cost `maxCost`, so refusing a bad pair
 * is always at least as good as taking it. Optimal for any size; a gait video has a handful
 * of people, so this costs microseconds per frame.
 */
export interface Assignment {
  row: number;
  col: number;
  cost: number;
}

export function solveAssignment(cost: readonly (readonly number[])[], maxCost = Number.POSITIVE_INFINITY): Assignment[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  if (rows === 0 || cols === 0) return [];
  // Square matrix of side rows + cols: real pairs, plus a "leave unmatched" option per row and
  // per column costing maxCost (or a large number when no limit is given).
  const refuse = Number.isFinite(maxCost) ? maxCost : largeFinite(cost);
  const n = rows + cols;
  const at = (r: number, c: number): number => {
    if (r < rows && c < cols) {
      const v = cost[r]![c]!;
      return Number.isFinite(v) && v <= refuse ? v : refuse * 2 + 1;
    }
    if (r < rows) return c - cols === r ? refuse : refuse * 2 + 1; // row r unmatched
    if (c < cols) return r - rows === c ? refuse : refuse * 2 + 1; // column c unmatched
    return 0; // dummy to dummy
  };
  const match = hungarianSquare(n, at);
  const out: Assignment[] = [];
  for (let r = 0; r < rows; r++) {
    const c = match[r]!;
    if (c < cols) {
      const v = cost[r]![c]!;
      if (Number.isFinite(v) && v <= refuse) out.push({ row: r, col: c, cost: v });
    }
  }
  return out;
}

function largeFinite(cost: readonly (readonly number[])[]): number {
  let max = 0;
  for (const row of cost) for (const v of row) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  return max * 4 + 1;
}

/** Classic potentials-based Hungarian algorithm on an n x n matrix; returns the column for each row. */
function hungarianSquare(n: number, a: (r: number, c: number) => number): number[] {
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[col] = row matched to col (1-based), 0 = none
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j]! > 0) rowToCol[p[j]! - 1] = j - 1;
  return rowToCol;
}
