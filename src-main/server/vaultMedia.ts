import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { AppError } from '../contract/errors.js';
import { openStoredFile, type StoredFile } from '../filecrypt/storedFile.js';

/** A vault file opened for streaming; the caller closes it (sendFileWithRanges does). */
export type OpenedMedia = StoredFile;

/** Why a vault file was not opened: the status to answer and a reason for the log (never for the page). */
export interface MediaRefusal {
  status: 403 | 404 | 500;
  reason: string;
}

/**
 * Opens a registered video's file for reading, only if it really lies inside the vault: the
 * path and the vault are both resolved through every symlink (realpath) and the file must be
 * under the vault, so a symlink planted in the vault cannot serve /etc/passwd. The resolved
 * path is then opened with O_NOFOLLOW, so a symlink swapped in after the check is refused too.
 * The vault folder itself may sit behind a symlink (a data folder on another disk). An encrypted
 * file is decrypted with the vault's key as it is read.
 */
export async function openVaultMedia(vault: { root: string; key?: Buffer | undefined; absolute(vaultPath: string): string }, vaultPath: string): Promise<OpenedMedia | MediaRefusal> {
  let lexical: string;
  try {
    lexical = vault.absolute(vaultPath);
  } catch {
    return { status: 403, reason: `the stored path ${vaultPath} points outside the vault` };
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(lexical), realpath(vault.root)]);
  } catch (error) {
    return { status: 404, reason: `${vaultPath} is missing from the vault (${codeOf(error)})` };
  }
  if (!real.startsWith(realRoot + sep)) return { status: 403, reason: `${vaultPath} resolves to ${real}, outside the vault` };
  try {
    return await openStoredFile(real, vault.key);
  } catch (error) {
    if (error instanceof AppError) return { status: error.code === 'FILE_NOT_FOUND' ? 404 : 500, reason: `${vaultPath}: ${error.message}` };
    const code = codeOf(error);
    return code === 'ELOOP' ? { status: 403, reason: `${vaultPath} became a symlink while it was opened` } : { status: 404, reason: `${vaultPath} cannot be opened (${code})` };
  }
}

export function isMediaRefusal(value: OpenedMedia | MediaRefusal): value is MediaRefusal {
  return 'reason' in value;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
