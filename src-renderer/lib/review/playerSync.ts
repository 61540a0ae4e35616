/**
 * One clock for the two review players. The original video leads (it covers the whole
 * timeline); the person-centred clip follows through the stage 1 mapping. The clock is the
 * leader's time in seconds. Plain TypeScript over a small media interface, so the same code
 * drives real <video> elements and the fakes of the tests.
 */
import { ClipTimeline, TIMELINE_FPS, frameAt } from './clipTimeline.js';
import { stepFramesAt } from './sourceFrames.js';
import { clampTime, driftAction, loopJump, noLoop, setLoopIn, setLoopOut, type LoopRange } from './playback.js';

/** The part of HTMLMediaElement the players use (an HTMLVideoElement is one). */
export interface MediaAdapter {
  currentTime: number;
  readonly paused: boolean;
  playbackRate: number;
  play(): Promise<void> | void;
  pause(): void;
}

export interface SyncSnapshot {
  /** The clock: original-video time in seconds. */
  time: number;
  /** Frame on the 30 fps timeline. */
  frame: number;
  playing: boolean;
  rate: number;
  loop: LoopRange;
  /** Where the person-centred clip should be, or null when the patient is not in it at this moment. */
  clipTime: number | null;
}

/** Drift while paused smaller than this is left alone (both already show the same frame). */
const pausedTolerance = 0.001;

export class PlayerSync {
  private time = 0;
  private playing = false;
  private rate = 1;
  private loop: LoopRange = noLoop;
  private clipTime: number | null = null;
  private readonly listeners = new Set<(snapshot: SyncSnapshot) => void>();
  private readonly errorListeners = new Set<(message: string) => void>();

  constructor(
    private readonly leader: MediaAdapter,
    private readonly follower: MediaAdapter | null,
    private readonly timeline: ClipTimeline | null,
    readonly durationSec: number,
  ) {
    if (!Number.isFinite(durationSec) || durationSec <= 0) throw new Error(`The original video's duration must be a positive number of seconds, not ${durationSec}.`);
    this.time = clampTime(leader.currentTime, durationSec);
    this.clipTime = timeline ? timeline.clipTimeAt(this.time) : null;
  }

  snapshot(): SyncSnapshot {
    return { time: this.time, frame: frameAt(this.time), playing: this.playing, rate: this.rate, loop: this.loop, clipTime: this.clipTime };
  }

  onChange(listener: (snapshot: SyncSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A player refused to play (e.g. the video could not be loaded): the sentence to show. */
  onError(listener: (message: string) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  play(): void {
    if (this.playing) return;
    // from the very end (or outside the loop) start over
    const jump = loopJump(this.loop, this.durationSec, this.time);
    if (jump !== null) this.seekTo(jump);
    else if (this.time >= this.durationSec - 1e-3) this.seekTo(0);
    this.playing = true;
    this.leader.playbackRate = this.rate;
    this.start(this.leader, 'original video');
    this.syncFollower();
    this.emit();
  }

  pause(): void {
    this.playing = false;
    this.leader.pause();
    this.time = clampTime(this.leader.currentTime, this.durationSec);
    this.follower?.pause();
    this.syncFollower();
    this.emit();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Both players to this clock time (playing carries on from there). */
  seek(sec: number): void {
    this.seekTo(clampTime(sec, this.durationSec));
    this.syncFollower();
    this.emit();
  }

  /**
   * Pauses and moves whole frames: of the 30 fps timeline by default (1 = 1/30 s; 30 = 1 s), or
   * of another rate (the source's own, see sourceFrames.ts: at 10 fps, 1 = 0.1 s).
   */
  step(frames: number, fps: number = TIMELINE_FPS): void {
    if (this.playing) {
      this.playing = false;
      this.leader.pause();
      this.follower?.pause();
      this.time = clampTime(this.leader.currentTime, this.durationSec);
    }
    this.seek(stepFramesAt(this.time, frames, fps, this.durationSec));
  }

  setRate(rate: number): void {
    if (!Number.isFinite(rate) || rate <= 0 || rate > 16) throw new Error(`A playback speed must be a number between 0 and 16, not ${rate}.`);
    this.rate = rate;
    this.leader.playbackRate = rate;
    if (this.follower) this.follower.playbackRate = rate;
    this.emit();
  }

  markIn(): void {
    this.loop = setLoopIn(this.loop, this.time);
    this.emit();
  }

  markOut(): void {
    this.loop = setLoopOut(this.loop, this.time);
    this.emit();
  }

  clearLoop(): void {
    this.loop = noLoop;
    this.emit();
  }

  /**
   * Reads the leader's time and keeps the follower in step: call it on every animation frame
   * while playing and on the leader's timeupdate, seeked and ended events.
   */
  tick(): void {
    this.time = clampTime(this.leader.currentTime, this.durationSec);
    if (this.playing) {
      const jump = loopJump(this.loop, this.durationSec, this.time);
      if (jump !== null) {
        this.seekTo(jump);
      } else if (this.leader.paused) {
        // the leader reached its end (or the browser paused it)
        this.playing = false;
        this.follower?.pause();
      }
    }
    this.syncFollower();
    this.emit();
  }

  private seekTo(sec: number): void {
    this.leader.currentTime = sec;
    this.time = sec;
  }

  private start(media: MediaAdapter, what: string): void {
    try {
      const result = media.play();
      if (result && typeof result.catch === 'function') {
        result.catch((error: unknown) => {
          if ((error as { name?: string })?.name === 'AbortError') return; // a pause or seek interrupted play(): not a failure
          this.fail(`The ${what} could not be played: ${(error as Error)?.message ?? String(error)}`);
        });
      }
    } catch (error) {
      this.fail(`The ${what} could not be played: ${(error as Error).message}`);
    }
  }

  private fail(message: string): void {
    if (this.playing) this.pause();
    for (const listener of this.errorListeners) listener(message);
  }

  private syncFollower(): void {
    const follower = this.follower;
    if (!follower || !this.timeline) {
      this.clipTime = null;
      return;
    }
    const target = this.timeline.clipTimeAt(this.time);
    this.clipTime = target;
    if (target === null) {
      if (!follower.paused) follower.pause();
      return;
    }
    if (!this.playing) {
      if (!follower.paused) follower.pause();
      if (Math.abs(follower.currentTime - target) > pausedTolerance) follower.currentTime = target;
      if (follower.playbackRate !== this.rate) follower.playbackRate = this.rate;
      return;
    }
    const action = driftAction(target, follower.currentTime, this.rate, true);
    if (action.kind === 'seek') follower.currentTime = action.time;
    if (follower.playbackRate !== action.rate) follower.playbackRate = action.rate;
    if (follower.paused) this.start(follower, 'person-centred clip');
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}
