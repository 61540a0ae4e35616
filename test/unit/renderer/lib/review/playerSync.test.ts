import { describe, expect, it } from 'vitest';
import { ClipTimeline } from '../../../../../src-renderer/lib/review/clipTimeline.js';
import { PlayerSync, type MediaAdapter } from '../../../../../src-renderer/lib/review/playerSync.js';

class FakeMedia implements MediaAdapter {
  currentTime = 0;
  paused = true;
  playbackRate = 1;
  plays = 0;
  failWith: Error | null = null;
  play(): Promise<void> {
    this.plays++;
    if (this.failWith) return Promise.reject(this.failWith);
    this.paused = false;
    return Promise.resolve();
  }
  pause(): void {
    this.paused = true;
  }
  /** Simulates playback: time advances by `sec` of wall clock at the current rate. */
  advance(sec: number): void {
    if (!this.paused) this.currentTime += sec * this.playbackRate;
  }
}

// patient on timeline frames 30-89 (1 s to 3 s) and 150-209 (5 s to 7 s); clip 4 s long
const timeline = new ClipTimeline([
  { startFrame: 30, endFrame: 89 },
  { startFrame: 150, endFrame: 209 },
]);

function setup() {
  const leader = new FakeMedia();
  const follower = new FakeMedia();
  const sync = new PlayerSync(leader, follower, timeline, 7.7);
  return { leader, follower, sync };
}

describe('one clock for both players', () => {
  it('seeks both to the same moment', () => {
    const { leader, follower, sync } = setup();
    sync.seek(2);
    expect(leader.currentTime).toBe(2);
    expect(follower.currentTime).toBeCloseTo(1, 12);
    expect(sync.snapshot()).toMatchObject({ time: 2, frame: 60, playing: false, rate: 1 });
    expect(sync.snapshot().clipTime).toBeCloseTo(1, 12);
    sync.seek(5.5);
    expect(follower.currentTime).toBeCloseTo(2.5, 12);
  });

  it('says when the patient is not in the clip, and pauses the follower there', () => {
    const { leader, follower, sync } = setup();
    sync.seek(4);
    expect(leader.currentTime).toBe(4);
    expect(sync.snapshot().clipTime).toBeNull();
    follower.paused = false;
    sync.tick();
    expect(follower.paused).toBe(true);
  });

  it('steps whole frames and lands both on the same frame', () => {
    const { leader, follower, sync } = setup();
    sync.seek(2);
    sync.step(1);
    expect(leader.currentTime).toBeCloseTo(61 / 30, 12);
    expect(follower.currentTime).toBeCloseTo(31 / 30, 12);
    sync.step(-30);
    expect(leader.currentTime).toBeCloseTo(31 / 30, 12);
    expect(follower.currentTime).toBeCloseTo(1 / 30, 12);
    expect(sync.snapshot().frame).toBe(31);
  });

  it('plays and pauses both; a pause lands the follower on the leader frame', async () => {
    const { leader, follower, sync } = setup();
    sync.seek(1.5);
    sync.play();
    expect(leader.paused).toBe(false);
    expect(follower.paused).toBe(false);
    leader.advance(0.4);
    follower.advance(0.38); // the follower lags 20 ms: within tolerance after nudging
    sync.tick();
    sync.pause();
    expect(leader.paused).toBe(true);
    expect(follower.paused).toBe(true);
    expect(leader.currentTime).toBeCloseTo(1.9, 12);
    expect(follower.currentTime).toBeCloseTo(0.9, 12);
  });

  it('nudges the follower speed on a small drift and re-seeks on a large one', () => {
    const { leader, follower, sync } = setup();
    sync.seek(1.5);
    sync.play();
    leader.advance(0.1);
    follower.currentTime = 0.55; // 50 ms behind
    sync.tick();
    expect(follower.playbackRate).toBeCloseTo(1.05, 12);
    follower.currentTime = 0.6; // in step again
    sync.tick();
    expect(follower.playbackRate).toBe(1);
    follower.currentTime = 0.2; // 0.4 s behind
    sync.tick();
    expect(follower.currentTime).toBeCloseTo(0.6, 12);
  });

  it('starts the follower when the patient comes into view during playback', () => {
    const { leader, follower, sync } = setup();
    sync.seek(4.9);
    sync.play();
    expect(follower.paused).toBe(true);
    leader.advance(0.2);
    sync.tick();
    expect(follower.paused).toBe(false);
    expect(follower.currentTime).toBeCloseTo(2 + 0.1, 9);
  });

  it('speeds change both players', () => {
    const { leader, follower, sync } = setup();
    sync.setRate(2);
    expect(leader.playbackRate).toBe(2);
    expect(follower.playbackRate).toBe(2);
    expect(() => sync.setRate(0)).toThrow('A playback speed must be a number between 0 and 16, not 0.');
  });

  it('loops between in and out points', () => {
    const { leader, sync } = setup();
    sync.seek(1);
    sync.markIn();
    sync.seek(2);
    sync.markOut();
    expect(sync.snapshot().loop).toEqual({ inSec: 1, outSec: 2 });
    sync.play();
    leader.advance(1.05);
    sync.tick();
    expect(leader.currentTime).toBe(1);
    expect(sync.snapshot().playing).toBe(true);
    sync.clearLoop();
    expect(sync.snapshot().loop).toEqual({ inSec: null, outSec: null });
  });

  it('stops when the leader reaches its end and starts over on play', () => {
    const { leader, follower, sync } = setup();
    sync.seek(7.5);
    sync.play();
    leader.currentTime = 7.7;
    leader.paused = true; // ended
    sync.tick();
    expect(sync.snapshot().playing).toBe(false);
    expect(follower.paused).toBe(true);
    sync.play();
    expect(leader.currentTime).toBe(0);
  });

  it('reports a player that cannot play, in words', async () => {
    const { leader, sync } = setup();
    const messages: string[] = [];
    sync.onError((m) => messages.push(m));
    leader.failWith = Object.assign(new Error('no supported source'), { name: 'NotSupportedError' });
    sync.play();
    await Promise.resolve();
    await Promise.resolve();
    expect(messages).toEqual(['The original video could not be played: no supported source']);
    expect(sync.snapshot().playing).toBe(false);
  });

  it('works without a person-centred clip', () => {
    const leader = new FakeMedia();
    const sync = new PlayerSync(leader, null, null, 3);
    sync.step(3);
    expect(leader.currentTime).toBeCloseTo(0.1, 12);
    expect(sync.snapshot().clipTime).toBeNull();
    expect(() => new PlayerSync(leader, null, null, Number.NaN)).toThrow("The original video's duration must be a positive number of seconds, not NaN.");
  });
});
