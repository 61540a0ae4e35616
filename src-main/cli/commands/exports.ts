import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';

/** Copies of patient data made to leave WalkScope. */
export const exportCommands: Command[] = [
  {
    name: 'export-clip',
    summary: 'Write a de-identified copy of a stored video: heads blurred, no audio, no metadata (the video must be analysed first)',
    usage: 'walkscope export-clip <video id> --out FILE.mp4',
    options: { out: { type: 'string' } },
    async run(context, positionals, values) {
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id <= 0 || typeof values.out !== 'string') throw new UsageError('give the video id (see `walkscope patients show <code>`) and --out FILE.mp4');
      const file = await context.call('videos.exportDeidentified', { id });
      const out = resolve(values.out);
      await writeFile(out, Buffer.from(file.contentBase64, 'base64'), { mode: 0o600 });
      context.print(
        { file: out, mimeType: file.mimeType, frames: file.frames, blurredFrames: file.blurredFrames },
        () =>
          [
            `Wrote ${values.out}: ${file.frames} frames, heads blurred on ${file.blurredFrames}; no audio, no metadata.`,
            'Only the heads the analysis found are blurred: look through the copy before it leaves the hospital.',
          ].join('\n'),
      );
    },
  },
];
