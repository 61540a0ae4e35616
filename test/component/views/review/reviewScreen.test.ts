import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReviewScreen, shortcutHandlers, type KeyPress } from '../../../../src-renderer/views/review/reviewScreen.svelte.js';
import { shortcutFor } from '../../../../src-renderer/lib/review/shortcuts.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job, ModelBundle, Video } from '../../../../src-main/contract/entities.js';
import { clip, original, stage1, stage2, tracks, useFakeMediaClocks } from '../../../helpers/reviewFixtures.js';

useFakeMediaClocks();
afterEach(() => vi.unstubAllGlobals());

function fakeClient(overrides: Record<string, (request: any) => unknown> = {}): WalkScopeClient {
  const handlers: Record<string, (request: any) => unknown> = {
    'videos.get': (r) => (r.id === 3 ? original : clip),
    'analyses.stage1': () => stage1,
    'analyses.tracks': () => tracks,
    'analyses.stage2': () => stage2,
    'models.list': () => [],
    ...overrides,
  };
  return { call: vi.fn(async (method: string, request: unknown) => handlers[method]!(request)) } as unknown as WalkScopeClient;
}

/** A screen with video 3 loaded and, unless `players` is false, its clock on two fake players. */
async function loaded(overrides: Record<string, (request: any) => unknown> = {}, players = true) {
  const screen = new ReviewScreen(() => fakeClient(overrides));
  await screen.load(3);
  const leader = document.createElement('video');
  const follower = document.createElement('video');
  let disconnect: (() => void) | undefined;
  if (players) {
    screen.leaderEl = leader;
    screen.clipEl = screen.data?.clip ? follower : null;
    disconnect = screen.connectPlayers();
  }
  return { screen, leader, follower, disconnect };
}

/** A key press on the window, with its preventDefault counted. */
function press(key: string, fields: Partial<Omit<KeyPress, 'preventDefault'>> = {}) {
  const preventDefault = vi.fn();
  const event: KeyPress = { key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, target: document.body, defaultPrevented: false, preventDefault, ...fields };
  return { event, preventDefault };
}

describe('the review screen model', () => {
  it('loads the video with its stage 1 clip, tracks and stage 2, and reads durations off it', async () => {
    const screen = new ReviewScreen(() => fakeClient());
    expect([screen.duration, screen.totalFrames, screen.percentOf(2)]).toEqual([0, 1, '0%']);
    await screen.load(3);
    const data = screen.data!;
    expect(data.video.id).toBe(3);
    expect(data.clip?.id).toBe(8);
    expect(data.timeline?.clipFrames).toBe(120);
    expect(data.overlay?.patientTrackId).toBe(2);
    expect(data.tracks).toBe(tracks);
    expect(screen.duration).toBe(7.7);
    expect(screen.totalFrames).toBe(231);
    expect(screen.sourceFps).toBe(30);
    expect(screen.percentOf(7.7)).toBe('100%');
    expect(screen.classifiedRef).toEqual({ classifiedVideoId: 8, originalVideoId: 3, clipVideoId: 8 });
    expect(screen.classifiedDurationSec).toBe(4);
    expect(screen.loadError).toBeNull();
  });

  it('loads a person-centred clip alone (the view links to its original) and says a load failure in words', async () => {
    const onClip = new ReviewScreen(() => fakeClient());
    await onClip.load(8);
    expect(onClip.data).toEqual({ video: clip, stage1: null, tracks: null, stage2: null, clip: null, timeline: null, overlay: null });
    onClip.leaderEl = document.createElement('video');
    expect(onClip.connectPlayers()).toBeUndefined();
    expect(onClip.sync).toBeNull();

    const failing = new ReviewScreen(() => fakeClient({ 'videos.get': () => Promise.reject(new Error('No video with id 3 exists.')) }));
    await failing.load(3);
    expect(failing.loadError).toBe('No video with id 3 exists.');
    expect(failing.data).toBeNull();
  });

  it('reads the clock: clip frame, next appearance, classified time and the last classified moment', async () => {
    const { screen, leader, follower } = await loaded();
    screen.seek(2);
    expect(leader.currentTime).toBe(2);
    expect(follower.currentTime).toBeCloseTo(1, 9);
    expect(screen.clipFrame).toBe(30);
    expect(screen.nextAppearance).toBeNull();
    expect(screen.classifiedTimeSec).toBeCloseTo(1, 9);
    screen.seek(5.5);
    expect(screen.classifiedTimeSec).toBeCloseTo(2.5, 9);
    screen.rememberClassifiedTime();
    expect(screen.lastClassifiedSec).toBeCloseTo(2.5, 9);
    // out of view: no clip frame, the next appearance, and the cursor stays on the last moment shown
    screen.seek(4);
    expect(screen.snap.clipTime).toBeNull();
    expect(screen.clipFrame).toBeNull();
    expect(screen.nextAppearance).toBe(5);
    expect(screen.classifiedTimeSec).toBeNull();
    screen.rememberClassifiedTime();
    expect(screen.lastClassifiedSec).toBeCloseTo(2.5, 9);
    screen.seekNextAppearance();
    expect(leader.currentTime).toBe(5);
    expect(screen.clipFrame).toBe(60);
    screen.seek(7.5);
    expect(screen.nextAppearance).toBeNull();
  });

  it('counts source frames at the original’s own rate', async () => {
    const at25: Video = { ...original, probe: { ...original.probe, avgFps: 25 } };
    const { screen } = await loaded({ 'videos.get': (r) => (r.id === 3 ? at25 : clip) });
    expect(screen.sourceFps).toBe(25);
    screen.seek(2);
    expect(screen.snap.frame).toBe(60);
    expect(screen.sourceFrame).toBe(50);
  });

  it('says in plain words when the scores belong to a video not on screen, and uses the clock when stage 2 classified the original', async () => {
    const elsewhere = await loaded({ 'analyses.stage2': () => ({ ...stage2, classifiedVideoId: 99 }) });
    expect(elsewhere.screen.classifiedProblem).toBe('These clip scores were made on an earlier person-centred clip, not on the one shown here (stage 1 has run again since). Classify again to score what is shown.');
    expect(elsewhere.screen.classifiedTimeSec).toBeNull();
    expect(elsewhere.screen.classifiedDurationSec).toBe(7.7);

    const onOriginal = await loaded({ 'analyses.stage2': () => ({ ...stage2, classifiedVideoId: 3 }) });
    onOriginal.screen.seek(4);
    expect(onOriginal.screen.classifiedProblem).toBeNull();
    expect(onOriginal.screen.classifiedTimeSec).toBe(4);
    expect(onOriginal.screen.classifiedDurationSec).toBe(7.7);

    const none = await loaded({ 'analyses.stage2': () => null });
    expect([none.screen.classifiedRef, none.screen.classifiedProblem, none.screen.classifiedTimeSec]).toEqual([null, null, null]);
  });

  it('seeks both players to a time of the classified clip (the score timeline)', async () => {
    const { screen, leader, follower } = await loaded();
    // 2 s into the person-centred clip is the start of the second segment, at 5 s of the original
    screen.seekClassified(2);
    expect(leader.currentTime).toBeCloseTo(5, 9);
    expect(follower.currentTime).toBeCloseTo(2, 9);
  });

  it('waits for the clip’s element, runs on the original alone without a clip, and keeps place and speed across a reload', async () => {
    const waiting = await loaded({}, false);
    waiting.screen.leaderEl = waiting.leader;
    expect(waiting.screen.connectPlayers()).toBeUndefined();
    expect(waiting.screen.sync).toBeNull();

    const alone = await loaded({ 'analyses.stage1': () => null, 'analyses.tracks': () => null, 'analyses.stage2': () => null });
    expect(alone.screen.sync).not.toBeNull();
    alone.screen.step(2);
    expect(alone.leader.currentTime).toBeCloseTo(2 / 30, 9);
    expect(alone.screen.snap.clipTime).toBeNull();

    const { screen, leader, disconnect } = await loaded();
    screen.seek(2);
    screen.setRate(2);
    screen.togglePlay();
    expect(leader.paused).toBe(false);
    const first = screen.sync;
    disconnect!();
    expect(leader.paused).toBe(true); // the old clock stops its players
    await screen.load(3);
    screen.connectPlayers();
    expect(screen.sync).not.toBe(first);
    expect(screen.snap.time).toBe(2);
    expect(screen.snap.rate).toBe(2);
    expect(leader.playbackRate).toBe(2);
  });

  it('follows the leader’s events, and on animation frames only while playing', async () => {
    const frames: FrameRequestCallback[] = [];
    let requests = 0;
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => (frames.push(callback), ++requests));
    const cancelAnimationFrame = vi.fn();
    vi.stubGlobal('cancelAnimationFrame', cancelAnimationFrame);
    const { screen, leader, disconnect } = await loaded();
    expect(screen.followPlayback()).toBeUndefined();
    leader.currentTime = 1.5;
    leader.dispatchEvent(new Event('seeked'));
    expect(screen.snap.time).toBe(1.5);
    screen.togglePlay();
    expect(screen.playing).toBe(true);
    const stop = screen.followPlayback()!;
    leader.currentTime = 1.6;
    frames.shift()!(0);
    expect(screen.snap.time).toBe(1.6);
    expect(frames).toHaveLength(1); // the loop asked for the next frame
    stop();
    expect(cancelAnimationFrame).toHaveBeenCalledWith(2);
    disconnect!();
    leader.currentTime = 3;
    leader.dispatchEvent(new Event('timeupdate'));
    expect(screen.snap.time).toBe(1.6); // disconnected: the old clock no longer listens
  });

  it('says in words when a video cannot be loaded or played', async () => {
    const { screen, leader } = await loaded();
    screen.originalFailed();
    expect(screen.playError).toBe('The original video could not be loaded (the browser cannot read it).');
    screen.clipFailed();
    expect(screen.playError).toBe('The person-centred clip could not be loaded (the browser cannot read it).');
    leader.play = () => Promise.reject(new Error('no decoder for this stream'));
    screen.togglePlay();
    await vi.waitFor(() => expect(screen.playError).toBe('The original video could not be played: no decoder for this stream'));
    expect(screen.playing).toBe(false);
  });

  it('chooses the person under a click on the original, never the patient, and only while boxes are shown', async () => {
    const { screen } = await loaded();
    // frame 0: track 1's box is x 10-100, y 10-300 in 1280x720 pixels, shown at half size
    screen.showBoxes = false;
    screen.pickAtPoint(640, 360, 30, 50);
    expect(screen.pickedTrack).toBeNull();
    expect(screen.selection.id).toBeNull();
    screen.showBoxes = true;
    screen.pickAtPoint(640, 360, 30, 50);
    expect(screen.pickedTrack).toBe(1);
    expect(screen.selection.id).toBe(1);
    screen.pickAtPoint(640, 360, 300, 50);
    expect(screen.pickedTrack).toBe(1); // nobody there
    expect(screen.selection.id).toBeNull(); // ... which clears the highlight
    screen.seek(1); // frame 30: the patient (track 2) at x 500-600
    screen.pickedTrack = null;
    screen.pickAtPoint(640, 360, 275, 150);
    expect(screen.pickedTrack).toBeNull();
    expect(screen.selection.id).toBe(2); // the patient is highlighted, not chosen
  });

  it('selects a track from the list, going to its first appearance when it is not on the frame, and keeps it across a reload while it exists', async () => {
    const { screen, leader } = await loaded();
    screen.selectTrack(1); // on frame 0 already
    expect([screen.selection.id, leader.currentTime]).toEqual([1, 0]);
    screen.selectTrack(2); // first seen on frame 30
    expect([screen.selection.id, leader.currentTime]).toEqual([2, 1]);
    screen.step(1);
    screen.selectTrack(2);
    expect(leader.currentTime).toBeCloseTo(31 / 30, 9);
    screen.selectTrack(9); // no such track: selected, nothing to go to
    expect([screen.selection.id, screen.snap.frame]).toEqual([9, 31]);
    screen.selectTrack(2);
    await screen.load(3);
    expect(screen.selection.id).toBe(2);
    screen.selection.select(9);
    await screen.load(3);
    expect(screen.selection.id).toBeNull();
  });

  it('lists the installed classifiers (not feature backbones) again on every reload, and none when the list cannot be read', async () => {
    const models = [{ id: 'tiny', kind: 'classifier' }, { id: 'backbone', kind: 'features' }] as unknown as ModelBundle[];
    let fail = false;
    const screen = new ReviewScreen(() => fakeClient({ 'models.list': () => (fail ? Promise.reject(new Error('down')) : models) }));
    screen.watchModels();
    await vi.waitFor(() => expect(screen.installedModels).toEqual([models[0]]));
    fail = true;
    screen.reload();
    expect(screen.reloads).toBe(1);
    screen.watchModels();
    await vi.waitFor(() => expect(screen.installedModels).toEqual([]));
  });
});

describe('the review screen and the jobs of its video', () => {
  it('reloads when a classification of this video is done (the back end queues it after stage 1 runs again), and only then', async () => {
    const { screen } = await loaded({}, false);
    const job = (fields: Partial<Job>): Job => ({ id: 9, kind: 'stage2', status: 'done', videoId: 3, progress: 1, message: '', messagePhrase: null, error: null, attempts: 1, runId: 4, createdAt: 't', startedAt: null, finishedAt: null, etaSec: null, ...fields });
    screen.onJobUpdate(job({ status: 'running' }));
    screen.onJobUpdate(job({ videoId: 4 }));
    screen.onJobUpdate(job({ kind: 'media.analyse' }));
    expect(screen.reloads).toBe(0);
    screen.onJobUpdate(job({}));
    expect(screen.reloads).toBe(1);
  });
});

describe('the review screen’s keyboard', () => {
  it('has a handler for every action of the shortcut table', () => {
    const keys = ['ArrowLeft', 'ArrowRight', ' ', 'Spacebar', 'j', 'k', 'l', 'J', 'K', 'L', '[', ']', '\\', '?', 'Home', 'End'];
    const kinds = new Set([false, true].flatMap((shiftKey) => keys.map((key) => shortcutFor({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false })!.kind)));
    expect([...kinds].sort()).toEqual(Object.keys(shortcutHandlers).sort());
  });

  it('steps, plays, loops and jumps to the ends with the keys, taking each key it uses', async () => {
    const { screen, leader } = await loaded();
    const key = (k: string, shiftKey = false) => {
      const { event, preventDefault } = press(k, { shiftKey });
      screen.onKeydown(event);
      expect(preventDefault).toHaveBeenCalledTimes(1);
    };
    key('ArrowRight', true);
    expect(leader.currentTime).toBe(1);
    key('[');
    key('ArrowRight');
    key('ArrowRight');
    key(']');
    expect(screen.loopRange).toEqual({ start: 1, end: 32 / 30 });
    key('ArrowLeft');
    expect(leader.currentTime).toBeCloseTo(31 / 30, 9);
    key('\\');
    expect(screen.loopRange).toBeNull();
    key('End');
    expect(leader.currentTime).toBeCloseTo(230 / 30, 9);
    key('Home');
    expect(leader.currentTime).toBe(0);
    key(' ');
    expect(screen.snap.playing).toBe(true);
    key('Spacebar');
    expect(screen.snap.playing).toBe(false);
  });

  it('on a 10 fps original a frame step is one source frame (0.1 s); Shift still one second', async () => {
    const at10: Video = { ...original, probe: { ...original.probe, avgFps: 10, realFps: 10, frameCount: 77 } };
    const { screen, leader } = await loaded({ 'videos.get': (r) => (r.id === 3 ? at10 : clip) });
    expect(screen.frameStep).toEqual({ fps: 10, source: true });
    expect([screen.stepFrame, screen.stepFrames]).toEqual([0, 77]);
    const key = (k: string, shiftKey = false) => screen.onKeydown(press(k, { shiftKey }).event);
    key('ArrowRight');
    expect(leader.currentTime).toBe(0.1);
    expect([screen.snap.frame, screen.stepFrame]).toEqual([3, 1]);
    key('ArrowRight');
    key('ArrowRight');
    expect(leader.currentTime).toBe(0.3);
    expect([screen.snap.frame, screen.stepFrame]).toEqual([9, 3]);
    key('ArrowRight', true);
    expect(leader.currentTime).toBe(1.3);
    expect(screen.stepFrame).toBe(13);
    key('ArrowLeft');
    expect(leader.currentTime).toBe(1.2);
    key('j'); // paused: J steps back one source frame too
    expect(leader.currentTime).toBe(1.1);
    // from a time inside a source frame (timeline frame 37 shows source frame 12)
    screen.seek(37 / 30);
    screen.step(1);
    expect(leader.currentTime).toBe(1.3);
    key('End');
    key('ArrowRight');
    expect(screen.stepFrame).toBe(76);
    expect(leader.currentTime).toBe(7.6);
  });

  it('J/K/L: L plays at 1x then faster, J slower, K pauses, J paused steps back', async () => {
    const { screen, leader, follower } = await loaded();
    screen.seek(2);
    screen.setRate(0.5);
    const key = (k: string) => screen.onKeydown(press(k).event);
    key('l');
    expect([screen.snap.playing, screen.snap.rate]).toEqual([true, 1]);
    key('L');
    key('l');
    expect(screen.snap.rate).toBe(4);
    expect(follower.playbackRate).toBeCloseTo(4, 1);
    key('l');
    expect(screen.snap.rate).toBe(4);
    key('j');
    expect([screen.snap.playing, screen.snap.rate]).toEqual([true, 2]);
    leader.currentTime = 2.5;
    key('k');
    expect([screen.snap.playing, screen.snap.rate]).toEqual([false, 2]);
    key('K');
    expect(screen.snap.playing).toBe(false);
    key('j');
    expect(leader.currentTime).toBeCloseTo(74 / 30, 9);
    expect([screen.snap.playing, screen.snap.rate]).toEqual([false, 2]);
  });

  it('opens and closes the shortcut list with ? (before the players exist too) and closes it with Escape', async () => {
    const { screen } = await loaded({}, false);
    const help = press('?');
    screen.onKeydown(help.event);
    expect(screen.showHelp).toBe(true);
    expect(help.preventDefault).toHaveBeenCalled();
    const escape = press('Escape');
    screen.onKeydown(escape.event);
    expect(screen.showHelp).toBe(false);
    expect(escape.preventDefault).not.toHaveBeenCalled();
    screen.onKeydown(press('?').event);
    screen.onKeydown(press('?').event);
    expect(screen.showHelp).toBe(false);
    // a player key without players is taken and does nothing
    const step = press('ArrowRight');
    screen.onKeydown(step.event);
    expect(step.preventDefault).toHaveBeenCalled();
    expect(screen.snap.time).toBe(0);
  });

  it('leaves alone keys typed into a field, keys another handler took and keys with Ctrl, Alt or Meta', async () => {
    const { screen, leader } = await loaded();
    const field = document.createElement('input');
    const tries = [
      press('ArrowRight', { target: field }),
      press(' ', { target: document.createElement('button') }),
      press('ArrowRight', { defaultPrevented: true }),
      press('ArrowRight', { ctrlKey: true }),
      press('l', { altKey: true }),
      press('x'),
    ];
    for (const { event, preventDefault } of tries) {
      screen.onKeydown(event);
      expect(preventDefault).not.toHaveBeenCalled();
    }
    expect(leader.currentTime).toBe(0);
    expect(screen.snap.playing).toBe(false);
    // the scrubber (a range input) hands its keys to the players
    screen.onKeydown(press('ArrowRight', { target: Object.assign(document.createElement('input'), { type: 'range' }) }).event);
    expect(leader.currentTime).toBeCloseTo(1 / 30, 9);
  });
});
