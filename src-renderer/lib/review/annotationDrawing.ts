/**
 * The manual measuring tools of the review screen (a line, an angle from three points, a
 * vertical reference), drawn on a paused frame of the original: from a click on the
 * letterboxed video to a point in original pixels, the shape the clicks so far make (with the
 * pointer as its next point, for the live preview), and values in words. The values
 * themselves come from src-main/domain/annotationGeometry.ts, the back end's own code.
 */
import type { AnnotationShape } from '../../../src-main/contract/measurements.js';
import type { Fit } from './overlayGeometry.js';
import { arcPath, type Pt } from './angleOverlay.js';
import { translatorFor } from '../../../src-main/contract/i18n/translator.js';
import type { Language } from '../../../src-main/contract/i18n/languages.js';

export type ToolKind = AnnotationShape['kind'];

/** Points a shape of each kind needs. */
export const pointsNeeded: Record<ToolKind, number> = { line: 2, angle: 3, vertical: 2 };

/** What each tool is called on the screen (English; `toolName` gives it in a language). */
export const toolNames: Record<ToolKind, string> = { line: 'Line', angle: 'Angle', vertical: 'Vertical reference' };

/** The catalogue key of each tool's name. */
export const toolNameKeys = { line: 'review.tools.line', angle: 'review.tools.angle', vertical: 'review.tools.vertical' } as const satisfies Record<ToolKind, string>;

/** What a tool is called on the screen, in `language`. */
export function toolName(kind: ToolKind, language: Language = 'en'): string {
  return translatorFor(language).t(toolNameKeys[kind]);
}

const tenth = (n: number) => Math.round(n * 10) / 10 + 0;

/**
 * The point of a `width` x `height` picture under (x, y), CSS pixels of the element showing it
 * letterboxed (object-fit: contain), rounded to a tenth of a pixel; null outside the picture.
 */
export function imagePointAt(fit: Fit, width: number, height: number, x: number, y: number): Pt | null {
  if (!(fit.scale > 0)) return null;
  const px = (x - fit.x) / fit.scale;
  const py = (y - fit.y) / fit.scale;
  if (px < 0 || py < 0 || px > width || py > height) return null;
  return { x: tenth(px), y: tenth(py) };
}

/** The shape of a tool from its points, or null while it has too few. An angle's points are clicked in order: one end, the vertex, the other end. */
export function shapeOf(kind: ToolKind, points: readonly Pt[]): AnnotationShape | null {
  if (points.length < pointsNeeded[kind]) return null;
  const [a, b, c] = points as [Pt, Pt, Pt?];
  switch (kind) {
    case 'line':
      return { kind: 'line', a, b };
    case 'vertical':
      return { kind: 'vertical', a, b };
    case 'angle':
      return { kind: 'angle', a, vertex: b, b: c! };
  }
}

/** What an annotation's value means, in words: 34.2°, 152.3 px, 2.1° clockwise from the image vertical. */
export function formatAnnotationValue(kind: ToolKind, value: number, language: Language = 'en'): string {
  const { t } = translatorFor(language);
  switch (kind) {
    case 'angle':
      return t('review.units.degrees', { value: value.toFixed(1) });
    case 'line':
      return t('review.units.pixels', { value: value.toFixed(1) });
    case 'vertical': {
      const size = Math.abs(value).toFixed(1);
      if (Number(size) === 0) return t('review.tools.verticalExact', { deg: '0.0' });
      return t(value > 0 ? 'review.tools.verticalClockwise' : 'review.tools.verticalCounter', { deg: size });
    }
  }
}

/** The arc of an angle shape at its vertex (a third of the shorter ray, at most `maxRadius`). */
export function angleArc(shape: Extract<AnnotationShape, { kind: 'angle' }>, maxRadius: number): string {
  const u = { x: shape.a.x - shape.vertex.x, y: shape.a.y - shape.vertex.y };
  const v = { x: shape.b.x - shape.vertex.x, y: shape.b.y - shape.vertex.y };
  const r = Math.min(maxRadius, Math.hypot(u.x, u.y) / 3, Math.hypot(v.x, v.y) / 3);
  return arcPath(shape.vertex, u, v, r);
}

/** Where an annotation's value is written: beside the vertex of an angle, past the middle of a line. */
export function valueAnchor(shape: AnnotationShape, offset: number): Pt {
  if (shape.kind === 'angle') return { x: tenth(shape.vertex.x + offset), y: tenth(shape.vertex.y - offset) };
  return { x: tenth((shape.a.x + shape.b.x) / 2 + offset), y: tenth((shape.a.y + shape.b.y) / 2) };
}

/** The points of a shape, in the order they were clicked. */
export function pointsOf(shape: AnnotationShape): Pt[] {
  return shape.kind === 'angle' ? [shape.a, shape.vertex, shape.b] : [shape.a, shape.b];
}
