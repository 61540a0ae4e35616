import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Banners as real builds print them (first two lines of `ffmpeg -version`). */
export const banners = {
  debian51: 'version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 12 (Debian 12.2.0-14)',
  release611: 'version 6.1.1 Copyright (c) 2000-2023 the FFmpeg developers\nbuilt with Apple clang version 15.0.0',
  arch70: 'version n7.0 Copyright (c) 2000-2024 the FFmpeg developers\nbuilt with gcc 13.2.1 (GCC) 20240417',
  ubuntu44: 'version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers\nbuilt with gcc 11 (Ubuntu 11.2.0-19ubuntu1)',
  git2018: 'version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers\nbuilt with gcc 6.3.0 (Debian 6.3.0-18+deb9u1) 20170516',
} as const;

/**
 * Writes a shell script `dir/name` that prints `<name> <banner>` for -version (the way ffmpeg
 * and ffprobe start their banner) and appends a line to `dir/name.calls` each time it runs.
 */
export function writeFakeFfmpeg(dir: string, name: 'ffmpeg' | 'ffprobe', banner: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho run >> "${file}.calls"\ncat <<'BANNER'\n${name} ${banner}\nBANNER\n`);
  chmodSync(file, 0o755);
  return file;
}
