/**
 * The doctors' assessments of one video on the review screen: the list (each doctor's current
 * assessment with its history), agreement with the model, the form (add or amend, checked in
 * words before anything is sent) and the inline creation of a reader. AssessmentsPanel renders
 * it and calls `open` from an effect when the video changes.
 */
import { untrack } from 'svelte';
import type { Assessment, Call, Reader } from '../../../src-main/contract/entities.js';
import { readerCodeSchema } from '../../../src-main/contract/entities.js';
import { methods, type RequestOf } from '../../../src-main/contract/methods.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { agreementSummary, currentWithHistory, type AgreementSummary } from '../../lib/review/assessmentHistory.js';
import { t } from '../../lib/i18n.svelte.js';

/** The reader select's value for "New reader…". */
export const NEW_READER = '__new__';

/** A call as the panel says it. */
export const callWords = (c: Call): string => (c === 'ASD' ? t('review.assessments.asd') : t('review.assessments.notAsd'));

/** A contract message ("the confidence is above 100") as a sentence. */
export const sentence = (message: string): string => `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;

export class AssessmentsState {
  assessments = $state.raw<Assessment[]>([]);
  readers = $state.raw<Reader[]>([]);
  /** The first load has answered (the "no doctor yet" line waits for it). */
  loaded = $state(false);
  serverError = $state<string | null>(null);

  // the form
  readerCode = $state('');
  call = $state<Call | null>(null);
  /** null or undefined while the number field is empty. */
  confidence = $state<number | null | undefined>(50);
  comment = $state('');
  /** The assessment being amended, or null when adding a new one. */
  amending = $state.raw<Assessment | null>(null);
  problems = $state<string[]>([]);
  saving = $state(false);
  /** What the last save did, in words. */
  saved = $state<string | null>(null);

  // inline reader creation
  newCode = $state('');
  newName = $state('');
  readerProblems = $state<string[]>([]);

  readonly chains = $derived(currentWithHistory(this.assessments));
  /** How many doctors agree with the model's verdict (null without a verdict or assessments). */
  readonly agreement: AgreementSummary | null;
  /** The chosen reader's current assessment when adding (saving then supersedes it). */
  readonly readerHasCurrent = $derived(this.amending === null ? this.chains.find((c) => c.current.readerCode === this.readerCode)?.current : undefined);

  /** The video shown (set by `open`). */
  private videoId = 0;

  /** Getters, so the component can pass its props without capturing their first values. */
  constructor(
    private readonly client: () => WalkScopeClient,
    modelVerdict: () => Call | null,
  ) {
    this.agreement = $derived(agreementSummary(this.chains.map((c) => c.current), modelVerdict()));
  }

  /** Shows another video (called from an effect): nothing typed for the previous one carries over. */
  open(videoId: number): void {
    untrack(() => {
      this.videoId = videoId;
      this.resetForm();
      this.saved = null;
      void this.load();
    });
  }

  async load(): Promise<void> {
    const client = this.client();
    try {
      const [list, people] = await Promise.all([client.call('assessments.list', { videoId: this.videoId }), client.call('readers.list', {})]);
      this.assessments = list;
      this.readers = people;
      // No reader is preselected: an assessment must never be filed under someone by default.
      if (people.length === 0) this.readerCode = NEW_READER;
      this.serverError = null;
    } catch (e) {
      this.serverError = (e as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  resetForm(): void {
    this.amending = null;
    this.call = null;
    this.confidence = 50;
    this.comment = '';
    this.problems = [];
  }

  /** Fills the form with an assessment to correct. */
  startAmend(assessment: Assessment): void {
    this.amending = assessment;
    this.readerCode = assessment.readerCode;
    this.call = assessment.call;
    this.confidence = assessment.confidence;
    this.comment = assessment.comment;
    this.problems = [];
    this.saved = null;
  }

  /** The request, or the problems with the form in words. */
  buildRequest(): RequestOf<'assessments.add'> | string[] {
    const { readerCode, call, confidence, comment, amending } = this;
    const found: string[] = [];
    if (readerCode === '' || readerCode === NEW_READER) found.push(t('review.assessments.check.reader'));
    if (call === null) found.push(t('review.assessments.check.call'));
    if (confidence === null || confidence === undefined || !Number.isFinite(confidence)) found.push(t('review.assessments.check.confidence'));
    else if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) found.push(t('review.assessments.check.wholeNumber', { value: confidence }));
    if (found.length > 0 || call === null) return found;
    const request: RequestOf<'assessments.add'> = {
      videoId: this.videoId,
      readerCode,
      call,
      confidence: confidence as number,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(amending ? { amends: amending.id } : {}),
    };
    const parsed = methods['assessments.add'].request.safeParse(request);
    if (!parsed.success) return parsed.error.issues.map((issue) => sentence(issue.message));
    return request;
  }

  /** Sends the form (after checking it), then loads the list again. */
  async save(): Promise<void> {
    this.saved = null;
    const request = this.buildRequest();
    if (Array.isArray(request)) {
      this.problems = request;
      return;
    }
    this.problems = [];
    this.saving = true;
    try {
      const created = await this.client().call('assessments.add', request);
      this.saved = this.amending
        ? t('review.assessments.amendmentSaved', { name: created.readerName })
        : t('review.assessments.assessmentSaved', { name: created.readerName });
      this.resetForm();
      await this.load();
    } catch (e) {
      this.serverError = (e as Error).message;
    } finally {
      this.saving = false;
    }
  }

  /** Creates the reader typed in the inline fields (checked first) and chooses them. */
  async addReader(): Promise<void> {
    const code = readerCodeSchema.safeParse(this.newCode);
    const name = this.newName.trim();
    const found: string[] = [];
    if (!code.success) found.push(...code.error.issues.map((i) => sentence(i.message)));
    if (name === '') found.push(t('review.assessments.check.name'));
    else if (name.length > 200) found.push(t('review.assessments.check.nameLength'));
    this.readerProblems = found;
    if (found.length > 0 || !code.success) return;
    const client = this.client();
    try {
      const reader = await client.call('readers.create', { code: code.data, displayName: name });
      this.readers = await client.call('readers.list', {});
      this.readerCode = reader.code;
      this.newCode = '';
      this.newName = '';
      this.serverError = null;
    } catch (e) {
      this.serverError = (e as Error).message;
    }
  }
}
