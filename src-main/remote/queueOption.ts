import { AppError } from '../contract/errors.js';

/** The remote queue a process was started with, from its flags, the environment or the settings. */
export interface QueueChoice {
  url: string;
  mediaFolder: string;
  password?: string;
}

/** Where the queue in use came from: a flag, the environment, the stored setting, or none (the SQLite queue). */
export type QueueSource = 'flag' | 'environment' | 'setting' | 'default';

/** The queue a start chose and where from; no `choice`: the SQLite queue on this machine. */
export interface ChosenQueue {
  source: QueueSource;
  choice?: QueueChoice;
}

export interface QueueFlags {
  queue?: string | undefined;
  mediaFolder?: string | undefined;
}

/** The queue setting as stored (both null: the SQLite queue). */
export interface QueueSetting {
  queueUrl: string | null;
  queueMediaFolder: string | null;
}

/**
 * The queue of this start: `--queue URL` with `--media-folder DIR` win, then WALKSCOPE_QUEUE
 * with WALKSCOPE_MEDIA_FOLDER (a flag may pair with the other half from the environment), then
 * the stored setting. Each source gives both halves or neither; half of one is refused, never
 * completed from a source below it. The password only ever comes from WALKSCOPE_QUEUE_PASSWORD.
 */
export function chooseQueue(flags: QueueFlags, env: NodeJS.ProcessEnv, setting: QueueSetting): ChosenQueue {
  const password = env.WALKSCOPE_QUEUE_PASSWORD ? { password: env.WALKSCOPE_QUEUE_PASSWORD } : {};
  const requested = requestedQueue(flags, env);
  if (requested) return { source: requested.source, choice: { ...requested.pair, ...password } };
  const stored = storedQueue(setting);
  return stored ? { source: 'setting', choice: { ...stored, ...password } } : { source: 'default' };
}

/** The flags' and environment's queue (a flag over its variable), or undefined when neither names one. */
function requestedQueue(flags: QueueFlags, env: NodeJS.ProcessEnv): { source: 'flag' | 'environment'; pair: { url: string; mediaFolder: string } } | undefined {
  const url = flags.queue || env.WALKSCOPE_QUEUE || undefined;
  const mediaFolder = flags.mediaFolder || env.WALKSCOPE_MEDIA_FOLDER || undefined;
  if (!url && !mediaFolder) return undefined;
  if (!url) throw new AppError('QUEUE_URL_INVALID', 'a shared media folder was given without a queue (add --queue redis://HOST:PORT)');
  if (!mediaFolder) throw new AppError('MEDIA_FOLDER_INVALID', 'the queue needs the shared folder every worker mounts (add --media-folder DIR)');
  return { source: flags.queue || flags.mediaFolder ? 'flag' : 'environment', pair: { url, mediaFolder } };
}

/** The stored setting's queue, or undefined when it names none. */
function storedQueue(setting: QueueSetting): { url: string; mediaFolder: string } | undefined {
  const { queueUrl: url, queueMediaFolder: mediaFolder } = setting;
  if (!url && !mediaFolder) return undefined;
  if (!url) throw new AppError('QUEUE_URL_INVALID', 'the settings name a shared media folder but no queue (Settings, Analysis on several machines)');
  if (!mediaFolder) throw new AppError('MEDIA_FOLDER_INVALID', 'the settings name a queue but no shared media folder (Settings, Analysis on several machines)');
  return { url, mediaFolder };
}
