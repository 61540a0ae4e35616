/**
 * The manual measuring tools of the review screen, as Kinovea has them: a line, an angle from
 * three clicked points and a vertical reference, drawn on a paused frame of the original. The
 * drawing is a small state machine (no tool, a tool chosen, points placed, saving); the live
 * value is computed here with the back end's own geometry (src-main/domain), the stored one is
 * the back end's reply. Also the video's saved annotations (listed, drawn on their frame,
 * removed). MeasureTools and AnnotationLayer render it; ReviewView calls `open` and `follow`
 * from effects.
 */
import { untrack } from 'svelte';
import type { Annotation, AnnotationShape } from '../../../src-main/contract/measurements.js';
import { annotationValue } from '../../../src-main/domain/annotationGeometry.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import type { Pt } from '../../lib/review/angleOverlay.js';
import { formatAnnotationValue, pointsNeeded, shapeOf, type ToolKind } from '../../lib/review/annotationDrawing.js';
import { language, t } from '../../lib/i18n.svelte.js';

/** A tool's name inside a sentence ("the line", "the vertical reference"). */
const inSentenceKeys = {
  line: 'review.tools.inSentence.line',
  angle: 'review.tools.inSentence.angle',
  vertical: 'review.tools.inSentence.vertical',
} as const satisfies Record<ToolKind, string>;
const nameInSentence = (kind: ToolKind): string => t(inSentenceKeys[kind]);
import { sentence } from './assessmentsState.svelte.js';

export interface AnnotationToolOptions {
  /** A vertical reference was saved or removed: the video's angles are measured against it. */
  onVerticalChanged?: () => void;
  /** Asks before a removal (window.confirm unless a test gives its own). */
  confirm?: (message: string) => boolean;
}

export class AnnotationTool {
  annotations = $state.raw<Annotation[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);

  /** The chosen tool, or null. */
  tool = $state<ToolKind | null>(null);
  /** The points placed so far, in original pixels. */
  points = $state.raw<Pt[]>([]);
  /** Where the pointer is over the picture (the next point of the live preview), or null. */
  pointer = $state.raw<Pt | null>(null);
  /** The timeline frame the points are on. */
  drawingFrame = $state<number | null>(null);
  /** The label sent with the next saved annotation (optional). */
  label = $state('');
  saving = $state(false);
  /** What the last save or removal did, in words. */
  done = $state<string | null>(null);

  /** The clock, as `follow` last saw it. */
  frame = $state(0);
  playing = $state(false);

  private videoId = 0;

  /** `client` is a getter so the component can pass its prop without capturing its first value. */
  constructor(
    private readonly client: () => WalkScopeClient,
    private readonly options: AnnotationToolOptions = {},
  ) {}

  // ---- what the tools show ----

  /** The shape the points make with the pointer as the next point (the live preview), or null. */
  readonly preview = $derived.by((): AnnotationShape | null => {
    if (!this.tool) return null;
    const points = this.pointer && this.points.length < pointsNeeded[this.tool] ? [...this.points, this.pointer] : this.points;
    return shapeOf(this.tool, points);
  });

  /** The value of the preview, computed here as the back end will (undefined while it measures nothing). */
  readonly previewValue = $derived(this.preview ? annotationValue(this.preview) : undefined);

  readonly previewText = $derived(this.preview && this.previewValue !== undefined ? formatAnnotationValue(this.preview.kind, this.previewValue, language()) : null);

  /** What to do next, in words. */
  readonly instruction = $derived.by((): string => {
    if (this.playing) return t('review.tools.step.playing');
    if (this.saving) return t('review.tools.step.saving');
    switch (this.tool) {
      case null:
        return t('review.tools.step.choose');
      case 'line':
        return this.points.length === 0 ? t('review.tools.step.lineStart') : t('review.tools.step.lineEnd');
      case 'vertical':
        return this.points.length === 0 ? t('review.tools.step.verticalFirst') : t('review.tools.step.verticalSecond');
      case 'angle':
        return [t('review.tools.step.angleEnd'), t('review.tools.step.angleVertex'), t('review.tools.step.angleOtherEnd')][this.points.length] ?? '';
    }
  });

  /** Saved annotations drawn on this frame. */
  annotationsAt(frame: number): Annotation[] {
    return this.annotations.filter((a) => a.frame === frame);
  }

  // ---- loading ----

  /** Lists the video's annotations; called from an effect, it runs again for another video. */
  open(videoId: number): void {
    untrack(() => {
      if (videoId !== this.videoId) {
        this.cancel();
        this.annotations = [];
        this.loaded = false;
        this.done = null;
      }
      this.videoId = videoId;
      void this.load(videoId);
    });
  }

  async load(videoId: number): Promise<void> {
    try {
      const list = await this.client().call('annotations.list', { videoId });
      if (videoId !== this.videoId) return;
      this.annotations = list;
      this.error = null;
    } catch (error) {
      if (videoId !== this.videoId) return;
      this.error = t('review.tools.loadFailed', { reason: (error as Error).message });
    }
    this.loaded = true;
  }

  // ---- the state machine ----

  /**
   * Follows the clock; called from an effect. Playing puts the tool down (the tools work on a
   * paused frame); another frame drops the points placed on the one before.
   */
  follow(frame: number, playing: boolean): void {
    untrack(() => {
      this.playing = playing;
      this.frame = frame;
      if (playing) this.cancel();
      else if (this.drawingFrame !== null && this.drawingFrame !== frame) this.clearPoints();
    });
  }

  /** Chooses a tool (again: puts it down); refused while playing. */
  choose(kind: ToolKind): void {
    if (this.playing || this.saving) return;
    if (this.tool === kind) {
      this.cancel();
      return;
    }
    this.clearPoints();
    this.tool = kind;
    this.done = null;
  }

  /** Escape: the points and the tool are dropped. */
  cancel(): void {
    this.clearPoints();
    this.tool = null;
  }

  private clearPoints(): void {
    this.points = [];
    this.pointer = null;
    this.drawingFrame = null;
  }

  /** The pointer moved over the picture (null: it left it). */
  move(point: Pt | null): void {
    if (this.tool) this.pointer = point;
  }

  /** A click on the picture: places the next point; the last one saves the shape. */
  place(point: Pt | null): void {
    const kind = this.tool;
    if (!kind || !point || this.playing || this.saving) return;
    if (this.points.length === 0) this.drawingFrame = this.frame;
    const points = [...this.points, point];
    this.points = points;
    const shape = shapeOf(kind, points);
    if (shape) void this.save(shape, this.drawingFrame ?? this.frame);
  }

  /** The window's keydown: Escape cancels a drawing; true when it was handled. */
  onKeydown(event: { key: string; preventDefault(): void }): boolean {
    if (event.key !== 'Escape' || this.tool === null) return false;
    event.preventDefault();
    this.cancel();
    this.done = 'Cancelled.';
    return true;
  }

  // ---- saving and removing ----

  private async save(shape: AnnotationShape, frame: number): Promise<void> {
    if (annotationValue(shape) === undefined) {
      // two points on top of each other measure nothing: drop the last one and let the user click again
      this.points = this.points.slice(0, -1);
      this.done = t('review.tools.samePoint');
      return;
    }
    this.saving = true;
    const label = this.label.trim();
    try {
      const saved = await this.client().call('annotations.add', { videoId: this.videoId, frame, shape, ...(label ? { label } : {}) });
      this.annotations = [...this.annotations, saved];
      this.done = t('review.tools.saved', { what: nameInSentence(saved.shape.kind), value: formatAnnotationValue(saved.shape.kind, saved.value, language()), frame: saved.frame + 1 });
      this.label = '';
      this.error = null;
      this.clearPoints();
      if (saved.shape.kind === 'vertical') this.options.onVerticalChanged?.();
    } catch (error) {
      this.error = t('review.tools.saveFailed', { what: nameInSentence(shape.kind), reason: sentence((error as Error).message) });
      this.clearPoints();
    } finally {
      this.saving = false;
    }
  }

  /** Removes a saved annotation, after asking. */
  async remove(annotation: Annotation): Promise<void> {
    const ask = this.options.confirm ?? ((message: string) => globalThis.confirm(message));
    const what = t('review.tools.drawnOn', {
      what: nameInSentence(annotation.shape.kind),
      value: formatAnnotationValue(annotation.shape.kind, annotation.value, language()),
      frame: annotation.frame + 1,
    });
    if (!ask(t('review.tools.confirmRemove', { what }))) return;
    try {
      await this.client().call('annotations.remove', { id: annotation.id });
      this.annotations = this.annotations.filter((a) => a.id !== annotation.id);
      this.done = t('review.tools.removed', { what });
      this.error = null;
      if (annotation.shape.kind === 'vertical') this.options.onVerticalChanged?.();
    } catch (error) {
      this.error = t('review.tools.removeFailed', { what: nameInSentence(annotation.shape.kind), reason: sentence((error as Error).message) });
    }
  }
}
