import { access, constants, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Video, VideoView } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { ImportSource } from '../contract/methods.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { checkVideo } from '../media/checkedVideo.js';
import type { Store } from '../store/store.js';
import { publicVideo, type StoredVideo } from '../store/videosRepo.js';
import type { ServiceContext } from './serviceContext.js';

export interface ImportRequest {
  actor: string;
  patientCode: string;
  file: string;
  /** The name to show (an upload's original file name); defaults to the file's own name. */
  displayName?: string;
  /** The path on the user's machine, kept for provenance; null for uploads. */
  originalPath: string | null;
  view: VideoView;
  ffmpeg: FfmpegPathOverrides;
  signal?: AbortSignal;
}

export interface ImportOutcome {
  video: StoredVideo;
  deduplicated: boolean;
}

/**
 * Checks, stores and registers one video. Every check runs before anything is written: a
 * missing, empty, non-video or cut-off file is refused and the store stays as it was. The
 * copy goes into the vault through a temporary file; the row is written last, in one
 * transaction with its audit entry.
 */
async function importVideo(store: Store, request: ImportRequest): Promise<ImportOutcome> {
  const patient = store.patients.getByCode(request.patientCode);
  const info = await stat(request.file).catch((cause: unknown) => {
    throw new AppError('FILE_NOT_FOUND', request.file, { cause });
  });
  if (info.isDirectory()) throw new AppError('FILE_IS_FOLDER', request.file);
  if (!info.isFile()) throw new AppError('FILE_NOT_FOUND', request.file);
  await access(request.file, constants.R_OK).catch((cause: unknown) => {
    throw new AppError('FILE_NOT_FOUND', request.file, { cause });
  });
  const shownName = request.displayName ?? basename(request.file);
  if (info.size === 0) throw new AppError('FILE_EMPTY', shownName);

  // readable, demuxes to the end, and a stated length its frames and size can fill
  const { probe } = await checkVideo(request.file, shownName, { ffmpeg: request.ffmpeg, signal: request.signal });

  const stored = await store.vault.ingest(request.file, request.signal ? { signal: request.signal } : {});
  const existing = store.videos.findOriginalBySha(stored.sha256);
  if (existing) {
    if (existing.patientId !== patient.id) {
      throw new AppError('VIDEO_OF_OTHER_PATIENT', `${shownName} (patient ${existing.patientCode})`);
    }
    return { video: existing, deduplicated: true };
  }
  try {
    const video = store.videos.insert(request.actor, {
      patientId: patient.id,
      kind: 'original',
      sourceVideoId: null,
      sha256: stored.sha256,
      vaultPath: stored.vaultPath,
      originalName: shownName,
      originalPath: request.originalPath,
      view: request.view,
      sizeBytes: stored.sizeBytes,
      probe,
    });
    return { video, deduplicated: false };
  } catch (error) {
    if (!stored.alreadyStored) await store.vault.remove(stored.vaultPath);
    throw error;
  }
}

/** Videos: import (from a path or a serve-mode upload) with the media analysis queued after it, and thumbnails. */
export class VideoService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Imports one file for a patient. A new video (or one still without a thumbnail) gets its
   * media analysis queued, unless one is already waiting; an upload is removed afterwards, whatever the outcome.
   */
  async import(actor: string, request: { patientCode: string; source: ImportSource; view?: VideoView | undefined }): Promise<{ video: Video; deduplicated: boolean; jobId: number | null }> {
    const { source } = request;
    const file = source.kind === 'path' ? source.path : await this.ctx.uploads.existing(source.uploadId);
    try {
      const outcome = await importVideo(this.ctx.store, {
        actor,
        patientCode: request.patientCode,
        file,
        ...(source.kind === 'upload' ? { displayName: source.fileName } : {}),
        originalPath: source.kind === 'path' ? source.path : null,
        view: request.view ?? 'unknown',
        ffmpeg: this.ctx.ffmpeg(),
      });
      let jobId: number | null = null;
      if (!outcome.deduplicated || !outcome.video.hasThumbnail) {
        const { video } = outcome;
        jobId = (this.ctx.store.jobs.pendingFor('media.analyse', video.id) ?? this.ctx.jobs.enqueue('media.analyse', video.id, { videoPath: this.ctx.store.vault.absolute(video.vaultPath), durationSec: video.probe.durationSec })).id;
      }
      return { video: publicVideo(outcome.video), deduplicated: outcome.deduplicated, jobId };
    } finally {
      if (source.kind === 'upload') await this.ctx.uploads.discard(source.uploadId);
    }
  }

  /** The thumbnail as a data URL, or null while it is being made. */
  async thumbnailDataUrl(videoId: number): Promise<string | null> {
    const path = this.ctx.store.videos.get(videoId).thumbnailPath;
    if (!path) return null;
    const bytes = await this.ctx.store.vault.read(path).catch(() => null);
    return bytes ? `data:image/jpeg;base64,${bytes.toString('base64')}` : null;
  }
}
