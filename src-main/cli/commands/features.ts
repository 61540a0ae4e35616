import type { FeatureExtraction } from '../../contract/screening.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { waitForJobs } from './importAndJobs.js';

function patientsOf(values: Record<string, unknown>): string[] | undefined {
  if (typeof values.patients !== 'string') return undefined;
  const codes = values.patients.split(',').map((c) => c.trim()).filter(Boolean);
  if (codes.length === 0) throw new UsageError(`--patients ${values.patients} names no patient`);
  return codes;
}

function bundleOf(values: Record<string, unknown>): string {
  if (typeof values.bundle !== 'string' || values.bundle.trim() === '') throw new UsageError('give the feature backbone with --bundle ID (walkscope models list shows the installed bundles)');
  return values.bundle.trim();
}

export function formatExtraction(x: FeatureExtraction): string {
  const lines = [
    `Video features from ${x.bundle.bundleName} (${x.bundle.bundleId}, ${x.bundle.featureSize} per clip, SHA-256 ${x.bundle.bundleSha256.slice(0, 12)}…)`,
    `${x.videos} videos: ${x.extracted} extracted (${x.clips} clips), ${x.pending} being extracted, ${x.notAnalysed} not analysed yet (run stage 1 first), ${x.videos - x.extracted - x.pending - x.notAnalysed} to extract`,
  ];
  if (x.queuedJobIds.length > 0) lines.push(`Queued ${x.queuedJobIds.length} extraction job${x.queuedJobIds.length === 1 ? '' : 's'}`);
  return lines.join('\n');
}

export const featureCommands: Command[] = [
  {
    name: 'features status',
    summary: "Where a feature backbone's clip features stand over the patients' analysed videos",
    usage: 'walkscope features status --bundle ID [--patients P001,P002] [--json]',
    options: { bundle: { type: 'string' }, patients: { type: 'string' } },
    async run(context, _positionals, values) {
      const patientCodes = patientsOf(values);
      const status = await context.call('features.status', { bundleId: bundleOf(values), ...(patientCodes ? { patientCodes } : {}) });
      context.print(status, () => formatExtraction(status));
    },
  },
  {
    name: 'features extract',
    summary: "Extract a feature backbone's clip features from every analysed video that has none yet (resumable: a stopped extraction goes on where it stopped)",
    usage: 'walkscope features extract --bundle ID [--patients P001,P002] [--no-wait] [--json]',
    options: { bundle: { type: 'string' }, patients: { type: 'string' }, 'no-wait': { type: 'boolean' } },
    async run(context, _positionals, values) {
      const bundleId = bundleOf(values);
      const patientCodes = patientsOf(values);
      const request = { bundleId, ...(patientCodes ? { patientCodes } : {}) };
      const queued = await context.call('features.extract', request);
      if (!context.json) context.io.err(formatExtraction(queued));
      if (values['no-wait'] === true) {
        context.print(queued, () => '');
        return;
      }
      // every queued extraction (also those queued before, or left by a stopped run) runs here
      const finished = await waitForJobs(context, queued.queuedJobIds);
      const failed = finished.filter((j) => j.status !== 'done');
      const status = await context.call('features.status', request);
      context.print(status, () => formatExtraction(status));
      for (const j of failed) context.io.err(`job ${j.id} (video ${j.videoId}) ${j.status}: ${j.error?.message ?? ''}`);
      return failed.length > 0 ? 1 : undefined;
    },
  },
];
