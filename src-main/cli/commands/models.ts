import { resolve } from 'node:path';
import type { ModelBundle } from '../../contract/entities.js';
import { englishOf } from '../../contract/phrase.js';
import { classifyVideo, releaseSessions, type VideoClassification } from '../../classify/classifyVideo.js';
import { openBundle } from '../../classify/bundle.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatTable, ProgressReporter } from '../output.js';

export const researchOnlyBanner = '*** RESEARCH ONLY, NOT VALIDATED: this model has no clinical validation. Do not use its output for patient care. ***';

function describeModel(m: ModelBundle): string {
  return [
    `${m.name} (${m.id}, version ${m.version})`,
    m.kind === 'features'
      ? `  architecture: ${m.architecture}; feature backbone (${m.featureSize} features per clip): no verdict on its own`
      : `  architecture: ${m.architecture}; threshold on P(ASD): ${m.threshold}`,
    `  SHA-256: ${m.sha256}`,
    `  intended use: ${m.intendedUse}`,
    m.validated ? '  validated: yes' : `  ${researchOnlyBanner}`,
  ].join('\n');
}

export function formatClassification(file: string, r: VideoClassification): string {
  return [
    ...(r.researchOnly ? [researchOnlyBanner, ''] : []),
    `${file}: P(ASD) = ${r.videoScore.toFixed(3)} (${r.aggregation} of ${r.clips.length} clips) -> ${r.researchOnly ? 'research output: ' : ''}${r.verdict} at threshold ${r.threshold}`,
    `model ${r.bundle.name} ${r.bundle.version} (${r.bundle.sha256.slice(0, 12)}…), provider ${r.provider}${r.providersSkipped.length > 0 ? ` (skipped: ${r.providersSkipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')})` : ''}, ${(r.timings.totalMs / 1000).toFixed(1)} s`,
    '',
    formatTable(r.clips, [
      { header: 'clip', value: (c) => c.index, align: 'right' },
      { header: 'from', value: (c) => `${c.startSec.toFixed(1)} s`, align: 'right' },
      { header: 'to', value: (c) => `${c.endSec.toFixed(1)} s`, align: 'right' },
      { header: 'P(ASD)', value: (c) => c.probabilityAsd.toFixed(3), align: 'right' },
      { header: 'frames', value: (c) => c.frameIndices.join(' ') },
    ]),
  ].join('\n');
}

export const modelCommands: Command[] = [
  {
    name: 'models list',
    summary: 'List installed classification model bundles',
    usage: 'walkscope models list [--json]',
    async run(context) {
      const models = await context.call('models.list', {});
      context.print(models, () => (models.length === 0 ? 'No classification model is installed. Import one with: walkscope models import <bundle folder or zip>' : models.map(describeModel).join('\n\n')));
    },
  },
  {
    name: 'models import',
    summary: 'Check and install a model bundle (folder or zip with model.onnx and manifest.json)',
    usage: 'walkscope models import <bundle>',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the bundle folder or zip');
      const model = await context.call('models.import', { source: { kind: 'path', path: resolve(positionals[0]) } });
      context.print(model, () => `Installed:\n${describeModel(model)}`);
    },
  },
  {
    name: 'models show',
    summary: "Show a bundle's manifest and checks",
    usage: 'walkscope models show <id> [--json]',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model id');
      const model = await context.call('models.get', { id: positionals[0] });
      context.print(model, () => `${describeModel(model)}\n\nmanifest:\n${JSON.stringify(model.manifest, null, 2)}`);
    },
  },
  {
    name: 'models remove',
    summary: 'Remove an installed bundle (results keep its id and hash)',
    usage: 'walkscope models remove <id>',
    async run(context, positionals) {
      if (!positionals[0]) throw new UsageError('give the model id');
      const reply = await context.call('models.remove', { id: positionals[0] });
      context.print(reply, () => `Removed ${reply.removed}.`);
    },
  },
  {
    name: 'classify',
    summary: 'Stage 2 on a video file with a bundle folder/zip or an installed model id',
    usage: 'walkscope classify <video> --model <bundle|id> [--aggregation mean|median|max] [--providers cuda,webgpu,cpu] [--threads N] [--json]',
    options: { model: { type: 'string' }, aggregation: { type: 'string' }, providers: { type: 'string' }, threads: { type: 'string' } },
    async run(context, positionals, values) {
      const file = positionals[0];
      if (!file) throw new UsageError('give the video file');
      const threads = typeof values.threads === 'string' ? Number(values.threads) : undefined;
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) throw new UsageError('--threads is a whole number from 1 to 64');
      const aggregation = typeof values.aggregation === 'string' ? values.aggregation : 'mean';
      if (aggregation !== 'mean' && aggregation !== 'median' && aggregation !== 'max') throw new UsageError('--aggregation is mean, median or max');
      const app = await context.app();
      // a bundle on disk, an installed model's id, or the default model: the model service decides, as for stage 2 jobs
      const bundlePath = app.services.models.resolveBundlePath(typeof values.model === 'string' ? values.model : undefined);
      const settings = app.store.settings.get();
      const bundle = await openBundle(bundlePath);
      const reporter = new ProgressReporter();
      try {
        const result = await classifyVideo(resolve(file), bundle, {
          providers: typeof values.providers === 'string' ? values.providers.split(',') : settings.executionProviders,
          intraOpThreads: threads ?? settings.inferenceThreads,
          aggregation,
          onProgress: (f, m) => !context.json && reporter.update('classify', f, englishOf(m)),
        });
        if (!context.json) reporter.done();
        context.print(result, () => formatClassification(file, result));
      } finally {
        await releaseSessions();
        await bundle.dispose();
      }
    },
  },
];
