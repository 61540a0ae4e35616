/**
 * The review screen's state and logic: what is loaded for the video, the one clock of the two
 * players (PlayerSync) and what is read off it, the overlay toggles, the keyboard. ReviewView
 * renders it; its effects call `watchVideo`, `watchModels`, `connectPlayers`, `followPlayback`
 * and `rememberClassifiedTime`, the parts that must run inside a component.
 */
import { untrack } from 'svelte';
import { t } from '../../lib/i18n.svelte.js';
import type { Job, ModelBundle, Stage1Summary, Stage2Result, TrackOverlay, Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { ClassifiedNotShown, ClipTimeline, TIMELINE_FPS, classifiedTimeAt, clockTimeOfClassified, frameAt, type ClassifiedRef } from '../../lib/review/clipTimeline.js';
import { OverlayIndex, containFit, trackAtPoint } from '../../lib/review/overlayGeometry.js';
import { activeLoop, jkl, lastFrameOf, type JklKey } from '../../lib/review/playback.js';
import { PlayerSync, type SyncSnapshot } from '../../lib/review/playerSync.js';
import { watchSeeks } from '../../lib/review/seekWatchdog.js';
import { keyBelongsToControl, shortcutFor, type ShortcutAction } from '../../lib/review/shortcuts.js';
import { frameCountOf, frameIndexAt, frameStepOf } from '../../lib/review/sourceFrames.js';
import { TrackSelection } from './trackSelection.svelte.js';

/** Everything the screen shows of one video, replaced as a whole on every (re)load. */
export interface ReviewData {
  video: Video;
  stage1: Stage1Summary | null;
  tracks: TrackOverlay | null;
  stage2: Stage2Result | null;
  clip: Video | null;
  timeline: ClipTimeline | null;
  overlay: OverlayIndex | null;
}

/** What the keyboard handler reads of a key press (a KeyboardEvent is one). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  defaultPrevented: boolean;
  preventDefault(): void;
}

type ActionOf<K extends ShortcutAction['kind']> = Extract<ShortcutAction, { kind: K }>;

/** What each shortcut does on the screen: one entry per action of shortcuts.ts. */
export const shortcutHandlers: { readonly [K in ShortcutAction['kind']]: (screen: ReviewScreen, action: ActionOf<K>) => void } = {
  help: (screen) => screen.toggleHelp(),
  step: (screen, action) => screen.step(action.frames),
  second: (screen, action) => screen.stepSeconds(action.seconds),
  toggle: (screen) => screen.togglePlay(),
  jkl: (screen, action) => screen.jkl(action.key),
  loopIn: (screen) => screen.markIn(),
  loopOut: (screen) => screen.markOut(),
  loopClear: (screen) => screen.clearLoop(),
  start: (screen) => screen.seekStart(),
  end: (screen) => screen.seekEnd(),
};

const stoppedSnapshot: SyncSnapshot = { time: 0, frame: 0, playing: false, rate: 1, loop: { inSec: null, outSec: null }, clipTime: null };

/** Leader events after which the clock reads the original's time again. */
const leaderEvents = ['timeupdate', 'seeked', 'ended', 'pause', 'loadedmetadata'] as const;

export class ReviewScreen {
  data = $state.raw<ReviewData | null>(null);
  loadError = $state<string | null>(null);
  playError = $state<string | null>(null);
  /** Bumped to load the video again (a stage 1 job of this video finished). */
  reloads = $state(0);

  // ---- the players and their one clock ----

  leaderEl = $state<HTMLVideoElement | null>(null);
  clipEl = $state<HTMLVideoElement | null>(null);
  sync = $state.raw<PlayerSync | null>(null);
  snap = $state.raw<SyncSnapshot>(stoppedSnapshot);
  /** Its own signal, so the animation-frame loop restarts only when playing starts or stops. */
  readonly playing = $derived(this.snap.playing);

  // ---- overlays and the shortcut list ----

  showBoxes = $state(true);
  showKeypoints = $state(true);
  showSkeleton = $state(true);
  showHelp = $state(false);
  /** The track chosen in the patient picker (also by a click on a person on the original). */
  pickedTrack = $state<number | null>(null);
  /** The track highlighted on the original and in the list of people (a click on either). */
  readonly selection = new TrackSelection();

  installedModels = $state.raw<ModelBundle[]>([]);
  /** Where the timeline's cursor stays while the patient is out of view: the last classified moment shown. */
  lastClassifiedSec = $state(0);

  /** `client` is a getter so the component can pass its prop without capturing its first value. */
  constructor(private readonly client: () => WalkScopeClient) {}

  // ---- derived readouts ----

  readonly duration = $derived(this.data?.video.probe.durationSec ?? 0);
  readonly totalFrames = $derived(lastFrameOf(this.duration) + 1);
  /** Frame of the person-centred clip at the clock, or null when the patient is not in it. */
  readonly clipFrame = $derived(this.snap.clipTime === null ? null : frameAt(this.snap.clipTime));
  readonly sourceFps = $derived(this.data?.video.probe.avgFps ?? TIMELINE_FPS);
  /** Frame of the original at its own frame rate (the clock counts 30 fps frames). */
  readonly sourceFrame = $derived(Math.floor(this.snap.time * this.sourceFps + 1e-3));
  /** What one frame step moves by: a frame of the original at its own rate (10 fps: 0.1 s), or of the 30 fps timeline. */
  readonly frameStep = $derived(frameStepOf(this.data?.video.probe.avgFps));
  /** The frame at the clock, and how many there are, counted in the frames a step moves by. */
  readonly stepFrame = $derived(frameIndexAt(this.snap.time, this.frameStep.fps));
  readonly stepFrames = $derived(frameCountOf(this.duration, this.frameStep.fps));
  readonly loopRange = $derived(activeLoop(this.snap.loop, this.duration));
  /** Where the patient next comes into view, while they are out of it. */
  readonly nextAppearance = $derived(this.data?.timeline && this.snap.clipTime === null ? this.data.timeline.nextSegmentStart(this.snap.time) : null);

  // ---- for the components below the players (score timeline, verdict, assessments) ----

  readonly classifiedRef = $derived<ClassifiedRef | null>(
    this.data?.stage2 ? { classifiedVideoId: this.data.stage2.classifiedVideoId, originalVideoId: this.data.video.id, clipVideoId: this.data.clip?.id ?? null } : null,
  );
  /** Where the classified video problem is, in words, or null when the conversions work. */
  readonly classifiedProblem = $derived.by(() => {
    if (!this.classifiedRef || !this.data) return null;
    try {
      classifiedTimeAt(0, this.classifiedRef, this.data.timeline);
      return null;
    } catch (error) {
      if (!(error instanceof ClassifiedNotShown)) return (error as Error).message;
      return error.ref.clipVideoId === null ? t('review.timeline.scoredOtherNoClip') : t('review.timeline.scoredOther');
    }
  });
  /** The clock as a time of the video stage 2 classified (null: no result, or this moment is not in that video). */
  readonly classifiedTimeSec = $derived(
    this.classifiedRef && this.data && !this.classifiedProblem ? classifiedTimeAt(this.snap.time, this.classifiedRef, this.data.timeline) : null,
  );
  readonly classifiedDurationSec = $derived(
    this.data?.stage2 && this.data.clip && this.data.stage2.classifiedVideoId === this.data.clip.id
      ? this.data.clip.probe.durationSec
      : (this.data?.video.probe.durationSec ?? 0),
  );

  /** A clock time as a share of the original's duration, for positions on the scrub bar. */
  percentOf(sec: number): string {
    return `${this.duration > 0 ? (100 * sec) / this.duration : 0}%`;
  }

  // ---- loading ----

  /** Loads the video's review; called from an effect, it runs again for another video or a reload(). */
  watchVideo(videoId: number): void {
    void this.reloads;
    untrack(() => void this.load(videoId));
  }

  /** Lists the installed models; called from an effect, it runs again on every reload(). */
  watchModels(): void {
    void this.reloads;
    untrack(() =>
      this.client()
        .call('models.list', {})
        .then(
          // the models that can classify this video: a feature backbone gives no verdict
          (list) => (this.installedModels = list.filter((m) => m.kind !== 'features')),
          () => (this.installedModels = []),
        ),
    );
  }

  /** A classification of this video finished (e.g. the one queued after stage 1 ran again): show it. */
  onJobUpdate(job: Job): void {
    if (job.kind === 'stage2' && job.status === 'done' && job.videoId === this.data?.video.id) this.reload();
  }

  reload(): void {
    this.reloads++;
  }

  async load(id: number): Promise<void> {
    const client = this.client();
    try {
      const video = await client.call('videos.get', { id });
      if (video.kind !== 'original') {
        this.data = { video, stage1: null, tracks: null, stage2: null, clip: null, timeline: null, overlay: null };
        return;
      }
      const [stage1, tracks, stage2] = await Promise.all([
        client.call('analyses.stage1', { videoId: id }),
        client.call('analyses.tracks', { videoId: id }),
        client.call('analyses.stage2', { videoId: id }),
      ]);
      const clipId = stage1?.outputVideoIds[0] ?? null;
      const clip = clipId === null ? null : await client.call('videos.get', { id: clipId });
      const timeline = stage1 && clip ? new ClipTimeline(stage1.segments) : null;
      const overlay = tracks ? new OverlayIndex(tracks, stage1?.patientTrackId ?? tracks.patientTrackId) : null;
      this.data = { video, stage1, tracks, stage2, clip, timeline, overlay };
      this.selection.keepIn(overlay?.tracks.map((t) => t.id) ?? []);
      this.loadError = null;
    } catch (error) {
      this.loadError = (error as Error).message;
    }
  }

  // ---- the clock ----

  /**
   * Creates the clock once the original's element exists (and the clip's, when there is a
   * clip); called from an effect, it runs again when an element or the loaded data change, and
   * returns the cleanup. A new clock (after a reload) keeps the place and speed of the old one.
   */
  connectPlayers(): (() => void) | undefined {
    const leader = this.leaderEl;
    const follower = this.clipEl;
    const d = this.data;
    if (!leader || !d || d.video.kind !== 'original') return;
    if (d.clip && !follower) return;
    return untrack(() => {
      const keep = this.sync?.snapshot();
      const s = new PlayerSync(leader, d.clip ? follower : null, d.timeline, d.video.probe.durationSec);
      const offChange = s.onChange((next) => (this.snap = next));
      const offError = s.onError((message) => (this.playError = message));
      const tick = () => s.tick();
      for (const name of leaderEvents) leader.addEventListener(name, tick);
      follower?.addEventListener('loadedmetadata', tick);
      const offWatch = [leader, follower].flatMap((media) => (media ? [watchSeeks(media)] : []));
      this.sync = s;
      if (keep) {
        s.setRate(keep.rate);
        s.seek(keep.time); // a reload (new stage 1) keeps the place
      } else {
        this.snap = s.snapshot();
      }
      return () => {
        for (const name of leaderEvents) leader.removeEventListener(name, tick);
        follower?.removeEventListener('loadedmetadata', tick);
        for (const off of offWatch) off();
        offChange();
        offError();
        if (s.isPlaying) s.pause();
      };
    });
  }

  /**
   * Follows playback on every animation frame (timeupdate alone comes only 4 times a second);
   * called from an effect, it returns the cleanup that stops the loop.
   */
  followPlayback(): (() => void) | undefined {
    const s = this.sync;
    if (!this.playing || !s || typeof requestAnimationFrame !== 'function') return;
    let id = requestAnimationFrame(function loop() {
      s.tick();
      id = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(id);
  }

  /** Keeps the last classified moment shown; called from an effect. */
  rememberClassifiedTime(): void {
    const sec = this.classifiedTimeSec;
    if (sec !== null) this.lastClassifiedSec = sec;
  }

  originalFailed(): void {
    this.playError = t('review.screen.originalFailed', { reason: this.leaderEl?.error?.message || t('review.screen.unreadable') });
  }

  clipFailed(): void {
    this.playError = t('review.screen.clipFailed', { reason: this.clipEl?.error?.message || t('review.screen.unreadable') });
  }

  // ---- transport (buttons and keys; nothing happens before the clock exists) ----

  /** Frames of the original at its own rate (see `frameStep`): at 10 fps one is 0.1 s. */
  step(frames: number): void {
    this.sync?.step(frames, this.frameStep.fps);
  }

  /** Whole seconds (30 frames of the timeline). */
  stepSeconds(seconds: number): void {
    this.sync?.step(Math.round(seconds * TIMELINE_FPS));
  }

  togglePlay(): void {
    this.sync?.toggle();
  }

  seek(sec: number): void {
    this.sync?.seek(sec);
  }

  setRate(rate: number): void {
    this.sync?.setRate(rate);
  }

  markIn(): void {
    this.sync?.markIn();
  }

  markOut(): void {
    this.sync?.markOut();
  }

  clearLoop(): void {
    this.sync?.clearLoop();
  }

  /** To where the patient next comes into view (the button over the clip while they are out of it). */
  seekNextAppearance(): void {
    if (this.nextAppearance !== null) this.sync?.seek(this.nextAppearance);
  }

  seekStart(): void {
    this.sync?.seek(0);
  }

  /** To the last frame of the original. */
  seekEnd(): void {
    this.sync?.seek(lastFrameOf(this.duration) / TIMELINE_FPS);
  }

  /** J, K or L (see `jkl` in playback.ts). */
  jkl(key: JklKey): void {
    const s = this.sync;
    if (!s) return;
    const next = jkl(key, { playing: this.snap.playing, rate: this.snap.rate });
    if (next.stepFrames !== 0) s.step(next.stepFrames, this.frameStep.fps);
    if (next.rate !== this.snap.rate) s.setRate(next.rate);
    if (next.playing && !this.snap.playing) s.play();
    if (!next.playing && this.snap.playing) s.pause();
  }

  /** Seeks both players to a time of the classified video (a click on the score timeline). */
  seekClassified(sec: number): void {
    if (!this.sync || !this.classifiedRef || !this.data) return;
    this.sync.seek(clockTimeOfClassified(sec, this.classifiedRef, this.data.timeline));
  }

  // ---- overlays ----

  /**
   * A click on a row of the list of people: highlights the track's box on the original, going
   * to where the track first appears when it has no box on the frame shown.
   */
  selectTrack(id: number): void {
    this.selection.select(id);
    const overlay = this.data?.overlay;
    const track = overlay?.tracks.find((t) => t.id === id);
    if (!overlay || !track) return;
    if (!overlay.boxesAt(this.snap.frame).some((b) => b.id === id)) this.seek(track.firstFrame / TIMELINE_FPS);
  }

  /** A click on a person of the original selects them (box and row), and chooses them in the patient picker unless they are the patient. */
  pickAt(event: MouseEvent): void {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    this.pickAtPoint(rect.width, rect.height, event.clientX - rect.left, event.clientY - rect.top);
  }

  /** The same for a point (x, y) in a width x height picture of the original, in CSS pixels. */
  pickAtPoint(width: number, height: number, x: number, y: number): void {
    const overlay = this.data?.overlay;
    if (!overlay || !this.showBoxes) return;
    const fit = containFit(overlay.width, overlay.height, width, height);
    const id = trackAtPoint(overlay.boxesAt(this.snap.frame), fit, x, y);
    this.selection.select(id);
    if (id !== null && id !== overlay.patientTrackId) this.pickedTrack = id;
  }

  // ---- keyboard ----

  toggleHelp(): void {
    this.showHelp = !this.showHelp;
  }

  closeHelp(): void {
    this.showHelp = false;
  }

  /** The window's keydown: Escape closes the shortcut list; keys of shortcuts.ts run their action. */
  onKeydown(event: KeyPress): void {
    if (event.key === 'Escape' && this.showHelp) {
      this.showHelp = false;
      return;
    }
    if (event.defaultPrevented || keyBelongsToControl(event.target, event.key)) return;
    const action = shortcutFor(event);
    if (!action) return;
    event.preventDefault();
    this.run(action);
  }

  /** Runs a shortcut's action (see shortcutHandlers). */
  run<A extends ShortcutAction>(action: A): void {
    (shortcutHandlers[action.kind] as (screen: ReviewScreen, action: A) => void)(this, action);
  }
}
