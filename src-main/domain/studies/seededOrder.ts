/**
 * Reproducible randomness for study designs: the same seed always gives the same reading
 * order, case codes and clip windows, so a study can be re-created and audited.
 * mulberry32: a small, well-mixed 32-bit generator (not for cryptography).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Combines a study seed with a label (e.g. a reader id) into a new 32-bit seed (FNV-1a). */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const char of `${seed}:${label}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Fisher-Yates shuffle of a copy, driven by the seeded generator. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The clip a reader sees under the "random clip" protocol: a window of `clipSeconds` inside
 * the video, placed at random with the seed. A video shorter than the window is shown whole.
 */
export function seededClipWindow(durationSec: number, clipSeconds: number, seed: number): { startSec: number; endSec: number } {
  if (durationSec <= clipSeconds) return { startSec: 0, endSec: durationSec };
  const start = mulberry32(seed)() * (durationSec - clipSeconds);
  const startSec = Math.round(start * 1000) / 1000;
  return { startSec, endSec: Math.round((startSec + clipSeconds) * 1000) / 1000 };
}

/** Readers' graded confidence in their call, as a score P(ASD) in 0..1 for ROC analysis. */
export function readerScore(call: 'ASD' | 'non-ASD', confidence: number): number {
  const c = Math.max(0, Math.min(100, confidence)) / 200;
  return call === 'ASD' ? 0.5 + c : 0.5 - c;
}
