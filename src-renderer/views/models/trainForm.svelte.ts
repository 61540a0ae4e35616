/**
 * "Train from patients" on the Models screen: the choices (cohort, what to train on, measures,
 * protocol, fusion source, name), the cohort they give (`screening.cohort`, asked again whenever
 * the cohort, the measures or the feature backbone change), and the training job
 * (`screening.train`), followed through `job.updated` events until it is done, failed or
 * cancelled. Trained on video features (a head on a feature backbone), the measures and fusion
 * do not apply, and the form follows the backbone's extraction (`VideoFeatureExtraction`). The
 * component's effects call `watchCohort` and `watchExtraction` and feed `onJob`; nothing polls.
 */
import { untrack } from 'svelte';
import type { Job, ModelBundle, StudySummary } from '../../../src-main/contract/entities.js';
import { measureNames, type MeasureName } from '../../../src-main/contract/measurements.js';
import type { RequestOf } from '../../../src-main/contract/methods.js';
import {
  defaultFeatures,
  protocolSchema,
  type CohortPreview,
  type CohortRequest,
  type FusionSource,
  type Protocol,
  type ScreeningModelSummary,
} from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { t } from '../../lib/i18n.svelte.js';
import { VideoFeatureExtraction } from './featureExtraction.svelte.js';

export const protocolDefaults: Protocol = protocolSchema.parse({});

type ProtocolIssue = NonNullable<ReturnType<typeof protocolSchema.safeParse>['error']>['issues'][number];

/** A protocol field's name as its input is labelled, in the current language. */
function fieldName(key: keyof Protocol): string {
  switch (key) {
    case 'folds':
      return t('models.protocol.folds');
    case 'repeats':
      return t('models.protocol.repeats');
    case 'seed':
      return t('models.protocol.seed');
    case 'innerFolds':
      return t('models.protocol.innerFolds');
    case 'cGrid':
      return t('models.protocol.cGrid');
    case 'classWeight':
      return t('models.protocol.classWeight');
    case 'bootstrapReplicates':
      return t('models.protocol.bootstrapReplicates');
  }
}

/** What is wrong with a protocol field, in a sentence of the current language. */
function protocolProblem(issue: ProtocolIssue): string {
  const key = issue.path[0] as keyof Protocol;
  const field = key in protocolDefaults ? fieldName(key) : String(issue.path[0]);
  if (issue.code === 'too_small') return t('models.protocol.atLeast', { field, limit: Number(issue.minimum) });
  if (issue.code === 'too_big') return t('models.protocol.atMost', { field, limit: Number(issue.maximum) });
  if (issue.code === 'invalid_type' && issue.expected === 'int') return t('models.protocol.wholeNumber', { field });
  return t('models.protocol.invalid', { field });
}

/** Patient codes typed as a list: commas, spaces or new lines between them. */
export function parseCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean))];
}

/** "0.01, 0.1, 1" -> [0.01, 0.1, 1]; null when a token is not a number. */
export function parseGrid(text: string): number[] | null {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  const values = tokens.map(Number);
  return values.some((v) => !Number.isFinite(v)) ? null : values;
}

/** Where a finished training job's model is: the summary whose origin names the job, else the one that was not there before. */
export function modelOfJob(models: readonly ScreeningModelSummary[], jobId: number, before: ReadonlySet<string>): ScreeningModelSummary | null {
  const namesJob = new RegExp(`(^|\\D)${jobId}(\\D|$)`);
  const fresh = models.filter((m) => !before.has(m.id));
  return fresh.find((m) => namesJob.test(m.origin)) ?? fresh.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
}

export class TrainForm {
  // ---- the choices ----

  /** Empty: every patient with a diagnosis label. */
  codesText = $state('');
  /** What the model reads: '' posture measures, else the id of the feature backbone whose clip features it reads (a head). */
  trainOn = $state('');
  features = $state<MeasureName[]>([...defaultFeatures]);
  folds = $state<number | null>(protocolDefaults.folds);
  repeats = $state<number | null>(protocolDefaults.repeats);
  seed = $state<number | null>(protocolDefaults.seed);
  innerFolds = $state<number | null>(protocolDefaults.innerFolds);
  classWeight = $state<Protocol['classWeight']>(protocolDefaults.classWeight);
  cGridText = $state(protocolDefaults.cGrid.join(', '));
  bootstrapReplicates = $state<number | null>(protocolDefaults.bootstrapReplicates);
  /** '' (none), 'bundle:<id>', 'study:<id>' or 'head:<screening model id>'. */
  fusionChoice = $state('');
  /** The user says the bundle never saw these patients (a bundle is used for every patient). */
  bundleUnseen = $state(false);
  name = $state('');

  /** What fusion may use: installed classifier bundles (not the heads' own), cross-validation studies and accepted heads. */
  bundles = $state.raw<ModelBundle[]>([]);
  studies = $state.raw<StudySummary[]>([]);
  heads = $state.raw<ScreeningModelSummary[]>([]);
  /** The installed feature backbones a head may be trained on. */
  backbones = $state.raw<ModelBundle[]>([]);
  sourcesLoaded = $state(false);

  /** The chosen backbone's extraction; asked again by `watchExtraction`. */
  readonly extraction: VideoFeatureExtraction;
  /** Bumped when an extraction ends, so the cohort (and its refusal) is read again. */
  private cohortRound = $state(0);

  // ---- the cohort the choices give ----

  cohort = $state.raw<CohortPreview | null>(null);
  cohortLoading = $state(false);
  cohortError = $state<string | null>(null);
  private cohortAsk = 0;

  // ---- the training job ----

  job = $state.raw<Job | null>(null);
  starting = $state(false);
  trainError = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** Updates that came before `screening.train` replied with its job. */
  private early = new Map<number, Job>();
  private modelsBefore = new Set<string>();

  /** `client` is a getter so a component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    private readonly onTrained: (modelId: string) => void,
    private readonly debounceMs = 250,
  ) {
    this.extraction = new VideoFeatureExtraction(client, () => (this.cohortRound += 1));
  }

  readonly patientCodes = $derived(parseCodes(this.codesText));
  /** The chosen feature backbone; null for posture measures (also while the chosen one is not listed). */
  readonly backbone = $derived(this.trainOn ? (this.backbones.find((b) => b.id === this.trainOn) ?? null) : null);
  readonly onVideoFeatures = $derived(this.trainOn !== '');
  readonly cohortRequest = $derived.by((): CohortRequest => {
    const who = this.patientCodes.length > 0 ? { patientCodes: this.patientCodes } : {};
    return this.onVideoFeatures ? { ...who, videoFeaturesFrom: this.trainOn } : { ...who, features: this.features };
  });
  private readonly cohortKey = $derived(JSON.stringify(this.cohortRequest));

  readonly protocolCheck = $derived.by((): { protocol: Protocol; problem: null } | { protocol: null; problem: string } => {
    const grid = parseGrid(this.cGridText);
    if (grid === null) return { protocol: null, problem: t('models.protocol.gridProblem') };
    const numbers = { folds: this.folds, repeats: this.repeats, seed: this.seed, innerFolds: this.innerFolds, bootstrapReplicates: this.bootstrapReplicates };
    for (const [key, value] of Object.entries(numbers)) {
      if (value === null || value === undefined || Number.isNaN(value)) return { protocol: null, problem: t('models.protocol.empty', { field: fieldName(key as keyof Protocol) }) };
    }
    const parsed = protocolSchema.safeParse({ ...numbers, cGrid: grid, classWeight: this.classWeight });
    if (parsed.success) return { protocol: parsed.data, problem: null };
    return { protocol: null, problem: protocolProblem(parsed.error.issues[0]!) };
  });

  readonly fuse = $derived.by((): FusionSource | undefined => {
    if (this.onVideoFeatures) return undefined; // a head is not fused
    const [kind, id] = [this.fusionChoice.slice(0, this.fusionChoice.indexOf(':')), this.fusionChoice.slice(this.fusionChoice.indexOf(':') + 1)];
    // the statement that the bundle never saw these patients is made by ticking the box; Train waits for it
    if (kind === 'bundle' && id) return { kind: 'bundle', id, notTrainedOnThesePatients: true };
    if (kind === 'study' && id) return { kind: 'study', id: Number(id) };
    if (kind === 'head' && id) return { kind: 'head', id };
    return undefined;
  });

  readonly running = $derived(this.starting || this.job?.status === 'queued' || this.job?.status === 'running');

  /** Why Train cannot be pressed now, in a sentence; null when it can. */
  readonly blocker = $derived.by((): string | null => {
    if (this.running) return t('models.train.blockRunning');
    if (!this.onVideoFeatures && this.features.length === 0) return t('models.train.blockNoMeasure');
    if (this.cohort?.refusal) return this.cohort.refusal;
    if (this.cohortError) return t('models.train.blockCohortError');
    if (!this.cohort || this.cohortLoading) return t('models.train.blockReading');
    if (this.protocolCheck.problem) return this.protocolCheck.problem;
    if (this.fuse?.kind === 'bundle' && !this.bundleUnseen) return t('models.train.blockBundleUnseen');
    return null;
  });

  toggleFeature(name: MeasureName, on: boolean): void {
    const chosen = new Set(this.features);
    if (on) chosen.add(name);
    else chosen.delete(name);
    this.features = measureNames.filter((m) => chosen.has(m));
  }

  resetProtocol(): void {
    this.folds = protocolDefaults.folds;
    this.repeats = protocolDefaults.repeats;
    this.seed = protocolDefaults.seed;
    this.innerFolds = protocolDefaults.innerFolds;
    this.classWeight = protocolDefaults.classWeight;
    this.cGridText = protocolDefaults.cGrid.join(', ');
    this.bootstrapReplicates = protocolDefaults.bootstrapReplicates;
  }

  /** The feature backbones, and the bundles, cross-validation studies and heads fusion may use; a failure leaves a list empty. */
  async loadSources(): Promise<void> {
    const [bundles, studies, models] = await Promise.allSettled([this.client().call('models.list', {}), this.client().call('studies.list', {}), this.client().call('screening.list', {})]);
    const installed = bundles.status === 'fulfilled' ? bundles.value : [];
    // an accepted head is the video branch with its out-of-fold probabilities; its own bundle scored its training patients, so it is not offered as a bundle
    this.heads = models.status === 'fulfilled' ? models.value.filter((m) => m.videoFeatures !== null && m.status === 'accepted') : [];
    const headBundles = new Set(this.heads.map((h) => h.headBundleId));
    this.bundles = installed.filter((b) => b.kind !== 'features' && !headBundles.has(b.id)); // a feature backbone gives no score to fuse
    this.backbones = installed.filter((b) => b.kind === 'features');
    this.studies = studies.status === 'fulfilled' ? studies.value.filter((s) => s.kind === 'cross-validation') : [];
    this.sourcesLoaded = true;
  }

  /** Reads where the chosen backbone's extraction stands after the backbone or the patients rest a moment; returns the effect's cleanup. Call inside an $effect. */
  watchExtraction(): () => void {
    const scope = this.trainOn ? { bundleId: this.trainOn, ...(this.patientCodes.length > 0 ? { patientCodes: this.patientCodes } : {}) } : null;
    if (!scope) {
      void untrack(() => this.extraction.load(null));
      return () => {};
    }
    const timer = setTimeout(() => void this.extraction.load(scope), this.debounceMs);
    return () => clearTimeout(timer);
  }

  /** Asks for the cohort after the choices rest a moment; returns the effect's cleanup. Call inside an $effect. */
  watchCohort(): () => void {
    const key = this.cohortKey;
    void this.cohortRound;
    if (!this.onVideoFeatures && this.features.length === 0) {
      this.cohort = null;
      return () => {};
    }
    this.cohortLoading = true;
    const timer = setTimeout(() => void this.readCohort(JSON.parse(key) as CohortRequest), this.debounceMs);
    return () => clearTimeout(timer);
  }

  private async readCohort(request: CohortRequest): Promise<void> {
    const mine = ++this.cohortAsk;
    try {
      const cohort = await this.client().call('screening.cohort', request);
      if (mine !== this.cohortAsk) return;
      this.cohort = cohort;
      this.cohortError = null;
    } catch (e) {
      if (mine !== this.cohortAsk) return;
      this.cohort = null;
      this.cohortError = t('models.train.cohortFailed', { message: (e as Error).message });
    } finally {
      if (mine === this.cohortAsk) this.cohortLoading = false;
    }
  }

  async train(): Promise<void> {
    const protocol = this.protocolCheck.protocol;
    if (this.blocker || !protocol) return;
    this.starting = true;
    this.trainError = null;
    this.notice = null;
    this.job = null;
    this.early.clear();
    try {
      this.modelsBefore = new Set((await this.client().call('screening.list', {})).map((m) => m.id));
      const request: RequestOf<'screening.train'> = { cohort: this.cohortRequest, protocol };
      if (this.name.trim()) request.name = this.name.trim();
      if (this.fuse) request.fuse = this.fuse;
      const job = await this.client().call('screening.train', request);
      const newer = this.early.get(job.id);
      this.early.clear();
      this.starting = false;
      await this.follow(newer && newer.progress >= job.progress ? newer : job);
    } catch (e) {
      this.starting = false;
      this.trainError = t('models.train.startFailed', { message: (e as Error).message });
    }
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    try {
      await this.follow(await this.client().call('jobs.cancel', { id: this.job.id }));
    } catch (e) {
      this.trainError = t('models.train.cancelFailed', { message: (e as Error).message });
    }
  }

  /** Every `job.updated` event; only the training started here is followed. */
  async onJob(job: Job): Promise<void> {
    if (job.kind === 'features') return this.extraction.onJob(job);
    if (job.kind !== 'train') return;
    if (this.starting) {
      this.early.set(job.id, job);
      return;
    }
    if (this.job?.id === job.id) await this.follow(job);
  }

  private async follow(job: Job): Promise<void> {
    const was = this.job?.id === job.id ? this.job.status : null;
    this.job = job;
    if (was === job.status && was !== 'running' && was !== 'queued') return;
    if (job.status === 'failed') this.trainError = job.error?.message ?? t('models.train.failedNoReason');
    else if (job.status === 'cancelled') this.notice = t('models.train.cancelled');
    else if (job.status === 'done') await this.openModel(job);
  }

  private async openModel(job: Job): Promise<void> {
    try {
      const model = modelOfJob(await this.client().call('screening.list', {}), job.id, this.modelsBefore);
      if (model) this.onTrained(model.id);
      else this.trainError = t('models.train.modelMissing', { job: job.id });
    } catch (e) {
      this.trainError = t('models.train.listFailed', { message: (e as Error).message });
    }
  }
}
