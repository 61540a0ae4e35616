/**
 * What `ffmpeg -version` (or `ffprobe -version`) says about the build, as a version that can
 * be compared. Releases print their number (`ffmpeg version 5.1.6-0+deb12u1`, `6.1.1`,
 * `n7.0`); git snapshots print only a commit count and hash (`N-47683-g0e8eb07980`) or a date
 * (`2024-03-20-git-e04c638f5f`, `git-2020-01-01-...`). A snapshot holds at least every release
 * made before the year it was built began, so it counts as the newest release from before that
 * year: a build whose banner says "Copyright (c) 2000-2018" counts as 3.4 (October 2017), older
 * than any 5.x. That is a lower bound on purpose: a decoder of untrusted clips is judged by the
 * fixes it surely has.
 */
export interface FfmpegVersion {
  /** The version word of the banner, e.g. `5.1.6-0+deb12u1` or `N-47683-g0e8eb07980-static`. */
  raw: string;
  /** [major, minor, patch] of the release, or of the release a git build counts as; null when unknown. */
  release: [number, number, number] | null;
  /** A git snapshot: the year it was built (from a date in the version or the copyright line), when known. */
  gitYear: number | null;
  /** How it reads in a sentence: `5.1.6`, `git build N-47683-g0e8eb07980 from 2018 (counted as 3.4)`. */
  label: string;
}

/** The minimum WalkScope asks for: Debian 12's 5.1, the oldest release still receiving security fixes in distributions we support. */
export const minimumFfmpegRelease: [number, number, number] = [5, 1, 0];
export const minimumFfmpegLabel = '5.1';

/** FFmpeg's releases by year (the first one of each major.minor), for counting git snapshots. */
const releasesByDate: Array<{ year: number; month: number; release: [number, number, number] }> = [
  { year: 2016, month: 2, release: [3, 0, 0] },
  { year: 2016, month: 6, release: [3, 1, 0] },
  { year: 2016, month: 10, release: [3, 2, 0] },
  { year: 2017, month: 4, release: [3, 3, 0] },
  { year: 2017, month: 10, release: [3, 4, 0] },
  { year: 2018, month: 4, release: [4, 0, 0] },
  { year: 2018, month: 11, release: [4, 1, 0] },
  { year: 2019, month: 8, release: [4, 2, 0] },
  { year: 2020, month: 6, release: [4, 3, 0] },
  { year: 2021, month: 4, release: [4, 4, 0] },
  { year: 2022, month: 1, release: [5, 0, 0] },
  { year: 2022, month: 7, release: [5, 1, 0] },
  { year: 2023, month: 2, release: [6, 0, 0] },
  { year: 2023, month: 11, release: [6, 1, 0] },
  { year: 2024, month: 4, release: [7, 0, 0] },
  { year: 2024, month: 9, release: [7, 1, 0] },
  { year: 2025, month: 8, release: [8, 0, 0] },
];

/** The newest release made before `year` began; null before 2016 (older than anything we list). */
export function releaseBeforeYear(year: number): [number, number, number] | null {
  const before = releasesByDate.filter((r) => r.year < year);
  return before.at(-1)?.release ?? null;
}

const short = (release: [number, number, number]) => (release[2] === 0 ? `${release[0]}.${release[1]}` : release.join('.'));

/** Reads the first lines of `ffmpeg -version`; null when it is not an ffmpeg/ffprobe banner. */
export function parseFfmpegBanner(banner: string): FfmpegVersion | null {
  const match = /^\s*ff(?:mpeg|probe)\s+version\s+(\S+)/im.exec(banner);
  if (!match) return null;
  const raw = match[1]!;
  const release = /^n?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (release) {
    const numbers: [number, number, number] = [Number(release[1]), Number(release[2]), Number(release[3] ?? 0)];
    return { raw, release: numbers, gitYear: null, label: `${numbers[0]}.${numbers[1]}${release[3] !== undefined ? `.${numbers[2]}` : ''}` };
  }
  const dated = /(?:^|git-)((?:19|20)\d\d)-\d\d-\d\d/.exec(raw);
  const copyright = /copyright\s*\(c\)\s*\d{4}\s*-\s*(\d{4})/i.exec(banner);
  const year = dated ? Number(dated[1]) : copyright ? Number(copyright[1]) : null;
  const counted = year === null ? null : releaseBeforeYear(year);
  const name = raw.replace(/-static$/, '');
  const label =
    year === null ? `git build ${name} (date unknown)` : `git build ${name} from ${year} (counted as ${counted ? short(counted) : 'older than 3.0'})`;
  return { raw, release: year === null ? null : (counted ?? [0, 0, 0]), gitYear: year, label };
}

function compareReleases(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Orders two versions: negative when a is older. Unknown versions are older than any known one. */
export function compareFfmpegVersions(a: FfmpegVersion | null, b: FfmpegVersion | null): number {
  const ra = a?.release ?? null;
  const rb = b?.release ?? null;
  if (!ra || !rb) return (ra ? 1 : 0) - (rb ? 1 : 0);
  const byNumber = compareReleases(ra, rb);
  if (byNumber !== 0) return byNumber;
  // a release and a git build that counts as it: the release is known to have it all
  return (a!.gitYear === null ? 1 : 0) - (b!.gitYear === null ? 1 : 0);
}

/** True when the version is known to be at least the minimum (a git build by the release it counts as). */
export function meetsMinimum(version: FfmpegVersion | null): boolean {
  return version?.release != null && compareReleases(version.release, minimumFfmpegRelease) >= 0;
}
