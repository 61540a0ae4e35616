import type { JobKind } from '../contract/entities.js';
import type { JobKindDescriptor } from './jobKind.js';
import { backupJob } from './kinds/backupJob.js';
import { featuresJob } from './kinds/featuresJob.js';
import { mediaAnalyseJob } from './kinds/mediaAnalyseJob.js';
import { measureJob } from './kinds/measureJob.js';
import { stage1Job } from './kinds/stage1Job.js';
import { stage2Job } from './kinds/stage2Job.js';
import { trainJob } from './kinds/trainJob.js';

/** Every job kind's descriptor. A new kind: its schemas in contract/jobs.ts, a descriptor in kinds/, its work in work/, and a line here. */
export const jobKinds: { readonly [K in JobKind]: JobKindDescriptor<K> } = {
  'media.analyse': mediaAnalyseJob,
  stage1: stage1Job,
  measure: measureJob,
  stage2: stage2Job,
  features: featuresJob,
  train: trainJob,
  backup: backupJob,
};

export function descriptorOf<K extends JobKind>(kind: K): JobKindDescriptor<K> {
  return jobKinds[kind];
}
