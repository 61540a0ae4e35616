import { describe, expect, it } from 'vitest';
import { compareFfmpegVersions, meetsMinimum, parseFfmpegBanner, releaseBeforeYear } from '../../../src-main/media/ffmpegVersion.js';

const parse = (banner: string) => parseFfmpegBanner(banner)!;

describe('ffmpeg -version banners', () => {
  it('reads release numbers from distribution, plain and n-tagged versions', () => {
    expect(parse('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers').release).toEqual([5, 1, 6]);
    expect(parse('ffmpeg version 6.1.1 Copyright (c) 2000-2023 the FFmpeg developers').release).toEqual([6, 1, 1]);
    expect(parse('ffmpeg version n7.0 Copyright (c) 2000-2024 the FFmpeg developers').release).toEqual([7, 0, 0]);
    expect(parse('ffprobe version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2007-2021 the FFmpeg developers').label).toBe('4.4.2');
    expect(parse('ffmpeg version 7.1-static https://johnvansickle.com/ffmpeg/ Copyright (c) 2000-2024').label).toBe('7.1');
  });

  it('counts a git build as the newest release from before the year in its copyright line', () => {
    const bundled = parse('ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers\nbuilt with gcc 6.3.0');
    expect(bundled.gitYear).toBe(2018);
    expect(bundled.release).toEqual([3, 4, 0]);
    expect(bundled.label).toBe('git build N-47683-g0e8eb07980 from 2018 (counted as 3.4)');
    expect(parse('ffmpeg version 2024-03-20-git-e04c638f5f-full_build-www.gyan.dev Copyright (c) 2000-2024').release).toEqual([6, 1, 0]);
    expect(releaseBeforeYear(2023)).toEqual([5, 1, 0]);
  });

  it('keeps a git build without a date as unknown, and refuses what is not a banner', () => {
    expect(parse('ffmpeg version N-12345-gdeadbeef').release).toBeNull();
    expect(parseFfmpegBanner('Usage: something else')).toBeNull();
  });

  it('orders versions: a 2018 git build is older than any 5.x, unknown is oldest, a release beats the git build counted as it', () => {
    const git2018 = parse('ffmpeg version N-47683-g0e8eb07980 Copyright (c) 2000-2018');
    const debian = parse('ffmpeg version 5.1.6-0+deb12u1');
    const git2023 = parse('ffmpeg version N-1-gabc Copyright (c) 2000-2023');
    expect(compareFfmpegVersions(git2018, debian)).toBeLessThan(0);
    expect(compareFfmpegVersions(parse('ffmpeg version 5.0'), git2018)).toBeGreaterThan(0);
    expect(compareFfmpegVersions(null, git2018)).toBeLessThan(0);
    expect(compareFfmpegVersions(parse('ffmpeg version 5.1'), git2023)).toBeGreaterThan(0);
    expect(meetsMinimum(debian)).toBe(true);
    expect(meetsMinimum(git2023)).toBe(true);
    expect(meetsMinimum(git2018)).toBe(false);
    expect(meetsMinimum(parse('ffmpeg version 4.4.2'))).toBe(false);
    expect(meetsMinimum(null)).toBe(false);
  });
});
