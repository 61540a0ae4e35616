import { describe, expect, it, vi } from 'vitest';
import { KinematicsState } from '../../../../src-renderer/views/review/kinematicsState.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { MeasureSegment } from '../../../../src-main/contract/measurements.js';
import { frontalOnly, measurementFrames, measurements } from '../../../helpers/measurementFixtures.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>): WalkScopeClient {
  return { call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)) } as unknown as WalkScopeClient;
}

const opened = async (handlers: Record<string, (request: any) => unknown>) => {
  const kin = new KinematicsState(() => fakeClient(handlers));
  kin.watch(3, 7.7);
  await vi.waitFor(() => expect(kin.loaded).toBe(true));
  return kin;
};

describe('the kinematics state', () => {
  it('loads the measurements and frames, and lays the chart out at the fallback width until measured', async () => {
    const kin = await opened({ 'measurements.get': () => measurements, 'measurements.frames': () => measurementFrames });
    expect(kin.status).toBe('charts');
    expect(kin.chartMeasures).toEqual(['trunkLean', 'headForward', 'shoulderHipOffset', 'craniovertebralAngle', 'hipFlexionLeft', 'hipFlexionRight', 'kneeFlexionLeft', 'kneeFlexionRight']);
    expect([kin.layout!.width, kin.layout!.axis.plotRight]).toEqual([960, 880]);
    kin.measuredWidth = 1200;
    expect(kin.layout!.axis.plotRight).toBe(1120);
    expect(kin.canDrawAngles).toBe(true);
  });

  it('says why there are no sagittal measures: seen from the front, or the views it was seen in', async () => {
    const front = await opened({ 'measurements.get': () => frontalOnly, 'measurements.frames': () => measurementFrames });
    expect([front.status, front.noSagittalWords]).toEqual(['no sagittal', 'The patient is seen from the front in this video: no sagittal measures.']);
    const views: MeasureSegment['view'][] = ['frontal', 'oblique', 'oblique', 'unknown'];
    const mixed = await opened({ 'measurements.get': () => ({ ...frontalOnly, segments: frontalOnly.segments.map((s, i) => ({ ...s, view: views[i]! })) }), 'measurements.frames': () => null });
    expect(mixed.noSagittalWords).toBe('The patient is not seen from the side in any 1 s segment of this video (segments by view: frontal 1, oblique 2, unknown 1): no sagittal measures.');
    const none = await opened({ 'measurements.get': () => ({ ...frontalOnly, segments: [] }), 'measurements.frames': () => null });
    expect(none.noSagittalWords).toBe('The patient is not seen long enough in this video to measure a 1 s segment: no sagittal measures.');
  });

  it('tells not measured, no per-frame detail and a failed load apart', async () => {
    expect((await opened({ 'measurements.get': () => null, 'measurements.frames': () => null })).status).toBe('not measured');
    const noFrames = await opened({ 'measurements.get': () => measurements, 'measurements.frames': () => null });
    expect([noFrames.status, noFrames.layout, noFrames.canDrawAngles]).toEqual(['no frames', null, false]);
    const failed = await opened({ 'measurements.get': () => Promise.reject(new Error('No video with id 3 exists.')), 'measurements.frames': () => null });
    expect([failed.status, failed.error]).toEqual(['failed', 'The measurements could not be loaded: No video with id 3 exists.']);
  });

  it('keeps the newest video: a late answer for the one before is dropped', async () => {
    let release: (value: unknown) => void = () => {};
    const slow = new Promise((resolve) => (release = resolve));
    const kin = new KinematicsState(() => fakeClient({ 'measurements.get': (r) => (r.videoId === 3 ? slow : null), 'measurements.frames': () => null }));
    kin.watch(3, 7.7);
    kin.watch(4, 5);
    await vi.waitFor(() => expect(kin.loaded).toBe(true));
    release(measurements);
    await slow;
    await Promise.resolve();
    expect(kin.measurements).toBeNull();
  });

  it('gives the overlay nothing without measurements, and follows its switches', async () => {
    const empty = new KinematicsState(() => fakeClient({}));
    expect(empty.anglesAt(40, 1)).toEqual({ figures: [], note: null });
    const kin = await opened({ 'measurements.get': () => measurements, 'measurements.frames': () => measurementFrames });
    expect(kin.anglesAt(40, 1).figures.map((f) => f.kind)).toEqual(['trunk']);
    kin.showTrunk = false;
    kin.showKnee = true;
    expect(kin.anglesAt(40, 1).figures.map((f) => `${f.kind}:${f.side}`)).toEqual(['knee:left', 'knee:right']);
  });

  it('says a failed export in words', async () => {
    const kin = await opened({ 'measurements.get': () => measurements, 'measurements.frames': () => measurementFrames, 'measurements.export': () => Promise.reject(new Error('walk.mp4 has no measurements yet (analyse it first)')) });
    await kin.exportCsv('segment');
    expect([kin.exportError, kin.exporting]).toEqual(['The CSV could not be made: walk.mp4 has no measurements yet (analyse it first)', null]);
  });
});
