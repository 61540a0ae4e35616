// Reads the committed stage 2 fixtures (test/fixtures/models, written by tools/models/make_fixtures.sh).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const modelFixtures = resolve(import.meta.dirname, '../../fixtures/models');
export const families = ['slow_r50-tiny', 'csn-tiny', 'r2plus1d-tiny', 'x3d-tiny'] as const;

export function readFloat32(file: string): Float32Array {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The reference batch: uint8 pixels -> (p / 255 - 0.45) / 0.225 in float32, as the tools script feeds torch. */
export function referenceBatch(name: string): { input: Float32Array; shape: number[]; expected: Float32Array } {
  const dir = join(modelFixtures, name);
  const meta = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { input: number[] };
  const pixels = readFileSync(join(dir, 'reference_input.u8'));
  const f = Math.fround;
  const m = f(0.45);
  const s = f(0.225);
  const input = Float32Array.from(pixels, (p) => f(f(f(p / 255) - m) / s));
  return { input, shape: meta.input, expected: readFloat32(join(dir, 'reference_output.bin')) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
