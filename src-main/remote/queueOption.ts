import { AppError } from '../contract/errors.js';

/** The remote queue a process was started with, from its flags or else the environment. */
export interface QueueChoice {
  url: string;
  mediaFolder: string;
  password?: string;
}

/**
 * `--queue URL` and `--media-folder DIR`, or WALKSCOPE_QUEUE and WALKSCOPE_MEDIA_FOLDER (the
 * password from WALKSCOPE_QUEUE_PASSWORD): both or neither. Neither: the SQLite queue.
 */
export function queueChoice(flags: { queue?: string | undefined; mediaFolder?: string | undefined }, env: NodeJS.ProcessEnv = process.env): QueueChoice | undefined {
  const url = flags.queue ?? env.WALKSCOPE_QUEUE;
  const mediaFolder = flags.mediaFolder ?? env.WALKSCOPE_MEDIA_FOLDER;
  if (!url && !mediaFolder) return undefined;
  if (!url) throw new AppError('QUEUE_URL_INVALID', 'a shared media folder was given without a queue (add --queue redis://HOST:PORT)');
  if (!mediaFolder) throw new AppError('MEDIA_FOLDER_INVALID', 'the queue needs the shared folder every worker mounts (add --media-folder DIR)');
  return { url, mediaFolder, ...(env.WALKSCOPE_QUEUE_PASSWORD ? { password: env.WALKSCOPE_QUEUE_PASSWORD } : {}) };
}
