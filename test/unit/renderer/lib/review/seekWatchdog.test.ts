import { describe, expect, it } from 'vitest';
import { watchSeeks, type SeekWatchdogOptions, type SeekingMedia } from '../../../../../src-renderer/lib/review/seekWatchdog.js';

type Kind = 'seeking' | 'seeked' | 'emptied';

/** A player whose seeks finish only when the test says so; assignments to currentTime are counted. */
class StallingMedia implements SeekingMedia {
  seeking = false;
  assignments: number[] = [];
  private time = 0;
  private readonly listeners = new Map<Kind, Set<() => void>>();
  get currentTime(): number {
    return this.time;
  }
  set currentTime(sec: number) {
    this.time = sec;
    this.assignments.push(sec);
    this.seeking = true;
    this.fire('seeking');
  }
  finishSeek(): void {
    this.seeking = false;
    this.fire('seeked');
  }
  addEventListener(type: Kind, listener: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: Kind, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
  private fire(type: Kind): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener();
  }
}

/** Timers the test runs by hand. */
function manualTimers(stallMs = 4000, maxRestarts = 3) {
  const pending = new Map<number, () => void>();
  let next = 1;
  const options: SeekWatchdogOptions = {
    stallMs,
    maxRestarts,
    setTimer: (callback) => {
      pending.set(next, callback);
      return next++;
    },
    clearTimer: (handle) => pending.delete(handle as number),
  };
  const fireAll = () => {
    const callbacks = [...pending.values()];
    pending.clear();
    for (const callback of callbacks) callback();
  };
  return { options, pending, fireAll };
}

describe('the seek watchdog', () => {
  it('starts a stalled seek again at the same target', () => {
    const media = new StallingMedia();
    const timers = manualTimers();
    const heard: [number, number][] = [];
    watchSeeks(media, timers.options, (target, restart) => heard.push([target, restart]));
    media.currentTime = 4.066666;
    expect(timers.pending.size).toBe(1);
    timers.fireAll();
    expect(media.assignments).toEqual([4.066666, 4.066666]);
    expect(heard).toEqual([[4.066666, 1]]);
    expect(timers.pending.size).toBe(1); // armed again for the restarted seek
  });

  it('leaves a seek that finished in time alone', () => {
    const media = new StallingMedia();
    const timers = manualTimers();
    watchSeeks(media, timers.options);
    media.currentTime = 2;
    media.finishSeek();
    expect(timers.pending.size).toBe(0);
    timers.fireAll();
    expect(media.assignments).toEqual([2]);
  });

  it('gives one stall a bounded number of restarts, and a finished seek a fresh count', () => {
    const media = new StallingMedia();
    const timers = manualTimers(4000, 3);
    watchSeeks(media, timers.options);
    media.currentTime = 1;
    for (let i = 0; i < 10; i++) timers.fireAll();
    expect(media.assignments).toEqual([1, 1, 1, 1]); // the seek and 3 restarts
    expect(timers.pending.size).toBe(0);
    media.finishSeek();
    media.currentTime = 5;
    timers.fireAll();
    expect(media.assignments).toEqual([1, 1, 1, 1, 5, 5]);
  });

  it('does nothing when the timer fires after the seek ended without an event', () => {
    const media = new StallingMedia();
    const timers = manualTimers();
    watchSeeks(media, timers.options);
    media.currentTime = 3;
    media.seeking = false; // e.g. the element was reset
    timers.fireAll();
    expect(media.assignments).toEqual([3]);
  });

  it('removes its listeners and its timer when stopped', () => {
    const media = new StallingMedia();
    const timers = manualTimers();
    const stop = watchSeeks(media, timers.options);
    media.currentTime = 3;
    stop();
    expect(media.listenerCount()).toBe(0);
    expect(timers.pending.size).toBe(0);
  });
});
