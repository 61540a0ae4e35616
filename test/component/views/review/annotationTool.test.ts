import { describe, expect, it, vi } from 'vitest';
import { AnnotationTool } from '../../../../src-renderer/views/review/annotationTool.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import { annotation } from '../../../helpers/measurementFixtures.js';

function fakeClient(handlers: Record<string, (request: any) => unknown>) {
  const call = vi.fn(async (method: string, request: unknown) => handlers[method]!(request));
  return { client: { call } as unknown as WalkScopeClient, call };
}

const key = (k: string) => ({ key: k, preventDefault: vi.fn() });

describe('the measuring tool state machine', () => {
  it('chooses, switches and puts down tools; a tool chosen again is put down', () => {
    const tool = new AnnotationTool(() => fakeClient({}).client);
    tool.choose('line');
    tool.place({ x: 1, y: 1 });
    expect([tool.tool, tool.points]).toEqual(['line', [{ x: 1, y: 1 }]]);
    tool.choose('angle');
    expect([tool.tool, tool.points, tool.drawingFrame]).toEqual(['angle', [], null]);
    tool.choose('angle');
    expect(tool.tool).toBeNull();
    expect(tool.onKeydown(key('Escape'))).toBe(false);
  });

  it('ignores points outside the picture and clicks without a tool, and drops a point on top of the one before', async () => {
    const { client, call } = fakeClient({});
    const tool = new AnnotationTool(() => client);
    tool.place({ x: 1, y: 1 });
    expect(tool.points).toEqual([]);
    tool.choose('line');
    tool.place(null);
    tool.place({ x: 5, y: 5 });
    tool.place({ x: 5, y: 5 });
    await Promise.resolve();
    expect(call).not.toHaveBeenCalled();
    expect([tool.points, tool.done]).toEqual([[{ x: 5, y: 5 }], 'The points are on top of each other: click somewhere else.']);
  });

  it('previews with the pointer as the next point, and keeps the frame the drawing started on', async () => {
    const { client, call } = fakeClient({ 'annotations.add': (r) => annotation({ id: 90, frame: r.frame, shape: r.shape, value: 5 }) });
    const tool = new AnnotationTool(() => client);
    tool.follow(12, false);
    tool.choose('vertical');
    tool.move({ x: 0, y: 0 });
    expect(tool.preview).toBeNull();
    tool.place({ x: 0, y: 0 });
    tool.move({ x: 10, y: -100 });
    expect(tool.preview).toEqual({ kind: 'vertical', a: { x: 0, y: 0 }, b: { x: 10, y: -100 } });
    expect(tool.previewValue).toBeCloseTo(5.71, 2);
    expect(tool.previewText).toBe('5.7° clockwise from the image vertical');
    tool.place({ x: 10, y: -100 });
    await vi.waitFor(() => expect(tool.saving).toBe(false));
    expect(call).toHaveBeenCalledWith('annotations.add', { videoId: 0, frame: 12, shape: { kind: 'vertical', a: { x: 0, y: 0 }, b: { x: 10, y: -100 } } });
    expect([tool.points, tool.tool, tool.annotationsAt(12).map((a) => a.id), tool.annotationsAt(13)]).toEqual([[], 'vertical', [90], []]);
  });

  it('calls back when a vertical reference is saved, not for a line', async () => {
    const onVerticalChanged = vi.fn();
    const { client } = fakeClient({ 'annotations.list': () => [], 'annotations.add': (r) => annotation({ frame: r.frame, shape: r.shape, value: 1 }) });
    const tool = new AnnotationTool(() => client, { onVerticalChanged });
    tool.open(3);
    tool.choose('line');
    tool.place({ x: 0, y: 0 });
    tool.place({ x: 3, y: 4 });
    await vi.waitFor(() => expect(tool.annotations).toHaveLength(1));
    expect(onVerticalChanged).not.toHaveBeenCalled();
    tool.choose('vertical');
    tool.place({ x: 0, y: 0 });
    tool.place({ x: 0, y: 40 });
    await vi.waitFor(() => expect(onVerticalChanged).toHaveBeenCalledTimes(1));
  });

  it('lists the annotations of the video opened, and a list that fails in words', async () => {
    const tool = new AnnotationTool(() => fakeClient({ 'annotations.list': (r) => (r.videoId === 3 ? [annotation({ shape: { kind: 'line', a: { x: 0, y: 0 }, b: { x: 1, y: 0 } }, value: 1 })] : Promise.reject(new Error('No video with id 9 exists.'))) }).client);
    tool.open(3);
    await vi.waitFor(() => expect(tool.annotations).toHaveLength(1));
    tool.open(9);
    expect(tool.annotations).toEqual([]);
    await vi.waitFor(() => expect(tool.error).toBe('The saved measurements could not be loaded: No video with id 9 exists.'));
  });

  it('removes only after the confirmation, and says a refused removal in words', async () => {
    const asked: string[] = [];
    const line = annotation({ id: 75, frame: 9, shape: { kind: 'line', a: { x: 0, y: 0 }, b: { x: 30, y: 40 } }, value: 50 });
    const { client, call } = fakeClient({ 'annotations.list': () => [line], 'annotations.remove': () => Promise.reject(new Error('no annotation with id 75')) });
    const tool = new AnnotationTool(() => client, { confirm: (m) => (asked.push(m), asked.length > 1) });
    tool.open(3);
    await vi.waitFor(() => expect(tool.annotations).toHaveLength(1));
    await tool.remove(line);
    expect(call).not.toHaveBeenCalledWith('annotations.remove', expect.anything());
    await tool.remove(line);
    expect(asked).toEqual(Array(2).fill('Remove the line (50.0 px) drawn on frame 10? The removal is kept in the audit log.'));
    expect([tool.error, tool.annotations.length]).toEqual(['The line could not be removed: No annotation with id 75.', 1]);
  });
});
