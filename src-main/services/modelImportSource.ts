import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError, isAppError } from '../contract/errors.js';
import type { ModelImportSource } from '../contract/methods.js';
import type { UploadArea } from './uploads.js';

/**
 * The file or folder a model bundle import reads, made from where the user gave it: a path on
 * this machine, an uploaded zip, or the uploaded files of a bundle folder gathered into one
 * folder under their own names. Whatever goes wrong is said with the name the user gave (the
 * zip's or the folder's), never an upload id or a temporary path. Uploads are discarded after.
 */
export async function withModelSource<T>(uploads: UploadArea, tempFolder: string, source: ModelImportSource, work: (path: string) => Promise<T>): Promise<T> {
  if (source.kind === 'path') return work(source.path);
  if (source.kind === 'upload') {
    try {
      const path = await held(uploads, source.uploadId, source.fileName);
      return await work(path).catch((error: unknown) => {
        throw namedAs(error, path, source.fileName);
      });
    } finally {
      await uploads.discard(source.uploadId);
    }
  }
  try {
    const names = source.files.map((f) => f.fileName);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice) throw new AppError('MODEL_INVALID', `${source.folderName} holds ${twice} twice`);
    await mkdir(tempFolder, { recursive: true, mode: 0o700 });
    for (const file of source.files) {
      const from = await held(uploads, file.uploadId, `${source.folderName}/${file.fileName}`);
      const to = join(tempFolder, file.fileName);
      // uploads and the vault are in one data folder, so a rename; a copy where they are not
      await rename(from, to).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyFile(from, to);
      });
    }
    return await work(tempFolder).catch((error: unknown) => {
      throw namedAs(error, tempFolder, source.folderName);
    });
  } finally {
    await rm(tempFolder, { recursive: true, force: true });
    for (const file of source.files) await uploads.discard(file.uploadId);
  }
}

/** The name the user gave the bundle by: the uploaded zip's or folder's name, or a path's last part. */
export function sourceName(source: ModelImportSource): string {
  if (source.kind === 'upload') return source.fileName;
  if (source.kind === 'uploadFolder') return source.folderName;
  return source.path.split(/[/\\]/).filter(Boolean).at(-1) ?? source.path;
}

/** The path of an upload still held, or UPLOAD_NOT_FOUND naming the user's file. */
async function held(uploads: UploadArea, uploadId: string, shownAs: string): Promise<string> {
  return uploads.existing(uploadId).catch((error: unknown) => {
    throw isAppError(error) && error.code === 'UPLOAD_NOT_FOUND' ? new AppError('UPLOAD_NOT_FOUND', shownAs, { cause: error }) : error;
  });
}

/**
 * The same error said with the user's name for the file: where its detail has the internal path
 * (or its last part, an upload id) that name stands there; otherwise the name is added.
 */
export function namedAs(error: unknown, internalPath: string, shownAs: string): unknown {
  if (!isAppError(error)) return error;
  const internalName = basename(internalPath);
  let detail = error.detail.split(internalPath).join(shownAs).split(internalName).join(shownAs);
  if (!detail.includes(shownAs)) detail = detail ? `${detail} (${shownAs})` : shownAs;
  return new AppError(error.code, detail, { cause: error });
}
