/**
 * Restarts a seek that has stopped making progress. Chromium's media pipeline can, rarely and
 * mostly under load, stay "seeking" with no data (readyState 1) after several quick seeks in a
 * row; the player then shows a frozen frame until the user seeks again. Setting the same time
 * again starts a fresh seek (HTML's seek algorithm runs on every assignment), which is what a
 * user's next click would do, so the watchdog does it for them, a bounded number of
 * times between two finished seeks.
 */

/** The part of HTMLMediaElement the watchdog uses. */
export interface SeekingMedia {
  currentTime: number;
  readonly seeking: boolean;
  addEventListener(type: 'seeking' | 'seeked' | 'emptied', listener: () => void): void;
  removeEventListener(type: 'seeking' | 'seeked' | 'emptied', listener: () => void): void;
}

export interface SeekWatchdogOptions {
  /** How long a seek may take before it is started again. */
  stallMs: number;
  /** How many restarts one seek gets before the watchdog leaves it alone. */
  maxRestarts: number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const defaultSeekWatchdog: SeekWatchdogOptions = {
  stallMs: 4000,
  maxRestarts: 5,
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Watches `media` until the returned function is called; `onRestart` hears each restart. */
export function watchSeeks(media: SeekingMedia, options: SeekWatchdogOptions = defaultSeekWatchdog, onRestart?: (target: number, restart: number) => void): () => void {
  let timer: unknown = null;
  let restarts = 0; // since the last seek that finished

  const cancel = () => {
    if (timer !== null) options.clearTimer(timer);
    timer = null;
  };
  const arm = () => {
    cancel();
    timer = options.setTimer(check, options.stallMs);
  };
  function check() {
    timer = null;
    if (!media.seeking || restarts >= options.maxRestarts) return;
    restarts += 1;
    const target = media.currentTime; // while seeking, the official position is the seek's target
    onRestart?.(target, restarts);
    media.currentTime = target; // fires 'seeking' again (queued), which re-arms the timer
    arm();
  }
  const onSeeking = () => arm();
  const onDone = () => {
    cancel();
    restarts = 0;
  };

  media.addEventListener('seeking', onSeeking);
  media.addEventListener('seeked', onDone);
  media.addEventListener('emptied', onDone);
  return () => {
    cancel();
    media.removeEventListener('seeking', onSeeking);
    media.removeEventListener('seeked', onDone);
    media.removeEventListener('emptied', onDone);
  };
}
