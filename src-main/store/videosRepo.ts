import { videoProbeSchema, type Video, type VideoProbe, type VideoView } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';
import { localDayOf, recordingDayFromCreationTime, recordingDayProblem } from '../domain/recordingDay.js';

interface VideoRow {
  id: number;
  patient_id: number;
  patient_code: string;
  kind: Video['kind'];
  source_video_id: number | null;
  sha256: string;
  vault_path: string;
  original_name: string;
  original_path: string | null;
  view: VideoView;
  size_bytes: number;
  probe_json: string;
  thumbnail_path: string | null;
  imported_at: string;
  recorded_on: string | null;
  recorded_on_source: Video['recordedOnSource'];
}

export interface StoredVideo extends Video {
  patientId: number;
  /** Path of the stored copy, relative to the vault folder. */
  vaultPath: string;
  thumbnailPath: string | null;
}

function toVideo(row: VideoRow): StoredVideo {
  return {
    id: row.id,
    patientId: row.patient_id,
    patientCode: row.patient_code,
    kind: row.kind,
    sourceVideoId: row.source_video_id,
    sha256: row.sha256,
    originalName: row.original_name,
    view: row.view,
    sizeBytes: row.size_bytes,
    importedAt: row.imported_at,
    recordedOn: row.recorded_on,
    recordedOnSource: row.recorded_on_source,
    probe: videoProbeSchema.parse(JSON.parse(row.probe_json)),
    hasThumbnail: row.thumbnail_path !== null,
    vaultPath: row.vault_path,
    thumbnailPath: row.thumbnail_path,
  };
}

const selectVideo = `SELECT v.*, p.code AS patient_code FROM videos v JOIN patients p ON p.id = v.patient_id`;

export interface NewVideo {
  patientId: number;
  kind: Video['kind'];
  sourceVideoId: number | null;
  sha256: string;
  vaultPath: string;
  originalName: string;
  originalPath: string | null;
  view: VideoView;
  sizeBytes: number;
  probe: VideoProbe;
}

/** Strips store-only fields for the contract. */
export function publicVideo(video: StoredVideo): Video {
  const { patientId: _p, vaultPath: _v, thumbnailPath: _t, ...rest } = video;
  return rest;
}

export class VideosRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  listForPatient(patientId: number): StoredVideo[] {
    return (this.db.prepare(`${selectVideo} WHERE v.patient_id = ? ORDER BY v.id`).all(patientId) as VideoRow[]).map(toVideo);
  }

  find(id: number): StoredVideo | undefined {
    const row = this.db.prepare(`${selectVideo} WHERE v.id = ?`).get(id) as VideoRow | undefined;
    return row ? toVideo(row) : undefined;
  }

  get(id: number): StoredVideo {
    const video = this.find(id);
    if (!video) throw new AppError('VIDEO_NOT_FOUND', String(id));
    return video;
  }

  findOriginalBySha(sha256: string): StoredVideo | undefined {
    const row = this.db.prepare(`${selectVideo} WHERE v.sha256 = ? AND v.kind = 'original'`).get(sha256) as VideoRow | undefined;
    return row ? toVideo(row) : undefined;
  }

  /** The person-centred clip with these bytes, if stage 1 made it before (the same crop of the same video). */
  findPersonCentredBySha(sha256: string): StoredVideo | undefined {
    const row = this.db.prepare(`${selectVideo} WHERE v.sha256 = ? AND v.kind = 'person-centred' ORDER BY v.id LIMIT 1`).get(sha256) as VideoRow | undefined;
    return row ? toVideo(row) : undefined;
  }

  /** Every vault path any row refers to, for the orphan sweep. */
  referencedVaultPaths(): Set<string> {
    const rows = this.db.prepare('SELECT vault_path AS p FROM videos UNION SELECT thumbnail_path FROM videos WHERE thumbnail_path IS NOT NULL').all() as Array<{ p: string }>;
    return new Set(rows.map((r) => r.p));
  }

  insert(actor: string, video: NewVideo): StoredVideo {
    return this.db.transaction(() => {
      const now = this.clock();
      // a clip was recorded when its original was; an original on the day its container says, if it says one that can be true
      const source = video.kind === 'person-centred' && video.sourceVideoId !== null ? this.get(video.sourceVideoId) : undefined;
      const fromContainer = source ? null : recordingDayFromCreationTime(video.probe.creationTime, new Date(now));
      const recordedOn = source ? source.recordedOn : fromContainer;
      const recordedOnSource = source ? source.recordedOnSource : fromContainer ? 'container' : null;
      const info = this.db
        .prepare(
          `INSERT INTO videos (patient_id, kind, source_video_id, sha256, vault_path, original_name, original_path, view, size_bytes, probe_json, imported_at, recorded_on, recorded_on_source)
           VALUES (@patientId, @kind, @sourceVideoId, @sha256, @vaultPath, @originalName, @originalPath, @view, @sizeBytes, @probeJson, @now, @recordedOn, @recordedOnSource)`,
        )
        .run({ ...video, probeJson: JSON.stringify(video.probe), now, recordedOn, recordedOnSource });
      const created = this.get(Number(info.lastInsertRowid));
      this.audit.record(actor, 'video.import', 'video', created.id, null, publicVideo(created));
      return created;
    })();
  }

  /**
   * Sets an original's camera view, and with it the view of every person-centred clip made from
   * it (a clip is seen from where its original was filmed); each change is audited. A clip's view
   * is not set on its own.
   */
  setView(actor: string, id: number, view: VideoView): StoredVideo {
    return this.db.transaction(() => {
      const before = this.get(id);
      if (before.kind === 'person-centred') throw new AppError('BAD_REQUEST', `video ${id} is a person-centred clip; set the view of its original, video ${before.sourceVideoId}`);
      const clips = this.db.prepare("SELECT id, view FROM videos WHERE source_video_id = ? AND kind = 'person-centred'").all(id) as Array<{ id: number; view: VideoView }>;
      const update = this.db.prepare('UPDATE videos SET view = ? WHERE id = ?');
      for (const target of [{ id, view: before.view }, ...clips]) {
        if (target.view === view) continue;
        update.run(view, target.id);
        this.audit.record(actor, 'video.setView', 'video', target.id, { view: target.view }, { view });
      }
      return this.get(id);
    })();
  }

  /**
   * Sets the day an original was recorded (null: not known), and with it its clips' day; each
   * change is audited with the day before. A clip's day follows its original's and is not set
   * on its own. A day that cannot be a recording day is refused with the reason.
   */
  setRecordedOn(actor: string, id: number, day: string | null): StoredVideo {
    return this.db.transaction(() => {
      const before = this.get(id);
      if (before.kind === 'person-centred') throw new AppError('BAD_REQUEST', `video ${id} is a person-centred clip; set the recording date of its original, video ${before.sourceVideoId}`);
      if (day !== null) {
        const problem = recordingDayProblem(day, localDayOf(new Date(this.clock())));
        if (problem) throw new AppError('BAD_REQUEST', problem);
      }
      const source = day === null ? null : 'user';
      const clips = this.db.prepare("SELECT id, recorded_on, recorded_on_source FROM videos WHERE source_video_id = ? AND kind = 'person-centred'").all(id) as Array<Pick<VideoRow, 'id' | 'recorded_on' | 'recorded_on_source'>>;
      const update = this.db.prepare('UPDATE videos SET recorded_on = ?, recorded_on_source = ? WHERE id = ?');
      for (const target of [{ id, recorded_on: before.recordedOn, recorded_on_source: before.recordedOnSource }, ...clips]) {
        if (target.recorded_on === day && target.recorded_on_source === source) continue;
        update.run(day, source, target.id);
        this.audit.record(actor, 'video.setRecordedOn', 'video', target.id, { recordedOn: target.recorded_on, source: target.recorded_on_source }, { recordedOn: day, source });
      }
      return this.get(id);
    })();
  }

  setThumbnail(id: number, thumbnailPath: string): void {
    this.db.prepare('UPDATE videos SET thumbnail_path = ? WHERE id = ?').run(thumbnailPath, id);
  }

  updateProbe(id: number, probe: VideoProbe): void {
    this.db.prepare('UPDATE videos SET probe_json = ? WHERE id = ?').run(JSON.stringify(probe), id);
  }
}
