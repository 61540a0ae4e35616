import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AppError } from '../contract/errors.js';
import { parseQueueAddress, redactQueueUrls } from './queueAddress.js';
import type { QueueSetting } from './queueOption.js';

/**
 * Checks the queue setting before it is stored: both halves or neither (neither: the SQLite
 * queue), an address without a password that parses as redis:// or rediss://, and a shared media
 * folder that exists and is a folder. Refuses with QUEUE_* codes for the address and
 * MEDIA_FOLDER_INVALID for the folder, in sentences that never repeat a password.
 */
export function checkQueueSetting(setting: QueueSetting): void {
  const { queueUrl: url, queueMediaFolder: folder } = setting;
  if (url === null && folder === null) return;
  if (url === null) throw new AppError('QUEUE_URL_INVALID', `the shared media folder ${folder} needs a queue address beside it (or leave both empty for the queue on this machine)`);
  if (folder === null) throw new AppError('MEDIA_FOLDER_INVALID', `the queue ${redactQueueUrls(url)} needs the shared folder every worker mounts (or leave both empty for the queue on this machine)`);
  checkQueueUrl(url);
  checkMediaFolder(folder);
}

/** A queue address for the settings: one parseQueueAddress accepts, with no password in it. */
export function checkQueueUrl(url: string): void {
  const address = parseQueueAddress(url);
  if (address.password !== undefined) throw new AppError('QUEUE_PASSWORD_IN_SETTINGS', address.display);
}

/** The shared media folder: an absolute path to a folder that exists on this machine. */
export function checkMediaFolder(folder: string): void {
  if (!isAbsolute(folder)) throw new AppError('MEDIA_FOLDER_INVALID', `${folder} is not an absolute path`);
  const kind = folderKind(folder);
  if (kind === 'missing') throw new AppError('MEDIA_FOLDER_INVALID', `${folder} does not exist on this machine (mount the shared folder first)`);
  if (kind === 'other') throw new AppError('MEDIA_FOLDER_INVALID', `${folder} is a file, not a folder`);
}

function folderKind(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}
