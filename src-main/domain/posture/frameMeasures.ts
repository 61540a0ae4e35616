import type { MeasureName } from '../../contract/measurements.js';
import { hipMidpoint, pairMidpoint, shoulderMidpoint, trunkLength, type BodyFrame, type BodyPoint } from './body.js';
import { angleAboveForward, angleFromDown, angleFromUp, wrapDegrees, type ForwardSign, type ScenePoint } from './sceneGeometry.js';

/**
 * The per-frame measures of one side-view frame (contract measureInfo), in scene axes with
 * forward positive (`sign`):
 *
 * - trunk lean: hip midpoint -> shoulder midpoint against scene up;
 * - head-forward posture: shoulder -> ear against scene up, with one choice for the whole segment
 *   (`segmentEarSide`): the clearly better-seen ear with its own side's shoulder (the shoulder
 *   midpoint when that one is not seen), or, when both ears are seen about as well, the ears'
 *   midpoint with the shoulders' midpoint; switching ears frame by frame would jump between
 *   two lines a head's width apart;
 * - craniovertebral angle: the same shoulder -> ear line above the forward horizontal
 *   (90 - head-forward: 90 with the ear straight above the shoulder);
 * - shoulder-hip offset: how far the shoulder midpoint is ahead of the hip midpoint, in trunk lengths;
 * - hip flexion per side: the thigh (hip -> knee) against the trunk line carried down through
 *   the hip, flexion (knee ahead of the trunk line) positive: thigh angle from down plus trunk lean;
 * - knee flexion per side: the shank (knee -> ankle) against the thigh, 0 straight, flexion
 *   (ankle behind the thigh's line) positive.
 *
 * A pair's midpoint is the one point seen when only one of them is (body.ts). A measure whose
 * keypoints are not all confident is null.
 */

export const frameMeasureNames = [
  'trunkLean', 'headForward', 'shoulderHipOffset', 'craniovertebralAngle',
  'hipFlexionLeft', 'hipFlexionRight', 'kneeFlexionLeft', 'kneeFlexionRight',
] as const satisfies readonly MeasureName[];
export type FrameMeasureName = (typeof frameMeasureNames)[number];
export type FrameValues = Record<FrameMeasureName, number | null>;

/** One ear with its own shoulder, or (`both`) the midpoint of the ears with the shoulders' midpoint. */
export type EarSide = 'left' | 'right' | 'both';

/**
 * How close the two ears' summed scores must be for a segment to use both: a pose model in side
 * view often scores the far ear (which it guesses) nearly as high as the near one, and then which
 * ear "wins" is a coin toss that moves the segment's head-forward angle by up to 20 degrees
 * (seen on the real side-view walk: 21.24 against 21.19, flipping at half size).
 */
export const bothEarsRatio = 0.9;

/**
 * The ear a segment's head-forward angle uses: the one seen clearly better over its frames (the
 * larger sum of scores; a frame where it is not confident counts 0), or both when neither sum is
 * below `bothEarsRatio` of the other; null when neither is seen.
 */
export function segmentEarSide(frames: readonly BodyFrame[]): EarSide | null {
  let left = 0;
  let right = 0;
  for (const b of frames) {
    left += b.leftEar?.score ?? 0;
    right += b.rightEar?.score ?? 0;
  }
  if (left === 0 && right === 0) return null;
  if (Math.min(left, right) >= bothEarsRatio * Math.max(left, right)) return 'both';
  return left > right ? 'left' : 'right';
}

function earOf(b: BodyFrame, side: EarSide | null): { ear: ScenePoint; shoulder: ScenePoint | null } | null {
  if (side === null) return null;
  if (side === 'both') {
    const ear = pairMidpoint(b, 'leftEar', 'rightEar');
    return ear ? { ear, shoulder: shoulderMidpoint(b) } : null;
  }
  const ear: BodyPoint | undefined = b[`${side}Ear`];
  if (!ear) return null;
  return { ear, shoulder: b[`${side}Shoulder`] ?? shoulderMidpoint(b) };
}

/** The measures of one frame; `earSide` is the segment's ear (segmentEarSide). */
export function frameMeasures(b: BodyFrame, sign: ForwardSign, earSide: EarSide | null): FrameValues {
  const sm = shoulderMidpoint(b);
  const hm = hipMidpoint(b);
  const trunk = trunkLength(b);
  const lean = sm && hm && trunk ? angleFromUp(hm, sm, sign) : null;
  const head = earOf(b, earSide);
  const hip = (side: 'left' | 'right') => {
    const h = b[`${side}Hip`];
    const k = b[`${side}Knee`];
    return h && k && lean !== null ? wrapDegrees(angleFromDown(h, k, sign) + lean) : null;
  };
  const knee = (side: 'left' | 'right') => {
    const h = b[`${side}Hip`];
    const k = b[`${side}Knee`];
    const a = b[`${side}Ankle`];
    return h && k && a ? wrapDegrees(angleFromDown(h, k, sign) - angleFromDown(k, a, sign)) : null;
  };
  return {
    trunkLean: lean,
    headForward: head?.shoulder ? angleFromUp(head.shoulder, head.ear, sign) : null,
    shoulderHipOffset: sm && hm && trunk ? (sign * (sm.h - hm.h)) / trunk : null,
    craniovertebralAngle: head?.shoulder ? angleAboveForward(head.shoulder, head.ear, sign) : null,
    hipFlexionLeft: hip('left'),
    hipFlexionRight: hip('right'),
    kneeFlexionLeft: knee('left'),
    kneeFlexionRight: knee('right'),
  };
}

/** Whether a frame has the keypoints the measures need: a shoulder, a hip, an ear, and one side's hip, knee and ankle. */
export function frameIsConfident(b: BodyFrame): boolean {
  const leg = (side: 'left' | 'right') => b[`${side}Hip`] && b[`${side}Knee`] && b[`${side}Ankle`];
  return Boolean(shoulderMidpoint(b) && hipMidpoint(b) && (b.leftEar || b.rightEar) && (leg('left') || leg('right')));
}
