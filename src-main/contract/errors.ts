/**
 * The one catalogue of error codes. Every failure that reaches a user carries a code from
 * here plus a sentence a clinician can act on; logs keep the code and the cause.
 * No Node, no DOM: the renderer imports this to show the sentence.
 */
export const errorCatalogue = {
  // contract / transport
  BAD_REQUEST: 'The request was not understood: {detail}.',
  UNKNOWN_METHOD: 'The application asked for an operation that does not exist ({detail}).',
  UNAUTHORISED: 'This window is not allowed to talk to WalkScope. Open the address printed by `npm run serve`.',
  INTERNAL: 'Something went wrong inside WalkScope ({detail}). Nothing was changed; the log has the details.',
  DATA_FOLDER_INVALID: 'That data folder cannot be used: {detail}.',
  DATA_FOLDER_FIXED: 'This session\'s data folder was given when WalkScope was started ({detail}); change it there, or start WalkScope without --data-dir / WALKSCOPE_HOME.',
  // patients
  PATIENT_NOT_FOUND: 'No patient with code {detail} exists.',
  PATIENT_CODE_TAKEN: 'A patient with code {detail} already exists. Choose another code or open that patient.',
  // import and media
  FILE_NOT_FOUND: 'The file {detail} does not exist or cannot be read.',
  FILE_EMPTY: 'The file {detail} is empty (0 bytes). Copy it again from the camera or source.',
  FILE_IS_FOLDER: '{detail} is a folder, not a video file. Choose the video files in it.',
  NO_VIDEOS_FOUND: 'No video files were found in {detail} (WalkScope looks for .mp4, .mov, .m4v, .mkv, .webm, .avi, .mts, .m2ts, .mpg, .mpeg and .wmv files, in subfolders too).',
  NOT_A_VIDEO: 'The file {detail} is not a video WalkScope can read.',
  MEDIA_IMPLAUSIBLE: 'The video {detail}. Its stated length cannot be trusted, so WalkScope does not analyse it. Export it again from the camera or the recording software.',
  VIDEO_TRUNCATED: 'The video {detail} is damaged or incomplete (it may have been cut off while copying). Copy it again.',
  VIDEO_OF_OTHER_PATIENT: 'This video is already registered to another patient: {detail}. A video belongs to one patient only.',
  UPLOAD_TOO_LARGE: 'The upload was refused: {detail}. Large files can be imported on this machine with `walkscope import`; IT can change the limits (serve mode\'s --upload-max-file and --upload-max-total).',
  UPLOAD_NOT_FOUND: 'The uploaded file {detail} is no longer available. Drop the file again.',
  DEIDENTIFY_NEEDS_ANALYSIS: 'The de-identified copy of {detail} cannot be made yet: the faces to blur are found by the analysis (stage 1). Analyse the video first.',
  VIDEO_NOT_FOUND: 'No video with id {detail} exists.',
  VIDEO_FILE_MISSING: 'The stored copy of video {detail} is missing from the vault. Restore the data folder from a backup.',
  FFMPEG_MISSING: 'The video tools (ffmpeg/ffprobe) could not be found: {detail}. Set their path in Settings.',
  // jobs
  JOB_NOT_FOUND: 'No job with id {detail} exists.',
  JOB_NOT_CANCELLABLE: 'Job {detail} has already finished and cannot be cancelled.',
  JOB_CANCELLED: 'The job was cancelled.',
  JOB_INTERRUPTED: 'The job was stopped before it could finish too many times ({detail}). Queue it again; if it keeps stopping, the log has the cause.',
  JOB_PARAMS_INVALID: 'Job {detail} was stored with settings this version of WalkScope does not understand. Queue the analysis again.',
  // the remote job queue (Redis with BullMQ) and its shared media folder
  QUEUE_URL_INVALID: 'The job queue address cannot be used: {detail}. Give it as redis://host:port (rediss:// for TLS); put a password in WALKSCOPE_QUEUE_PASSWORD rather than in the address.',
  QUEUE_PASSWORD_IN_SETTINGS: 'The job queue address {detail} holds a password; keep the password out of the settings: set WALKSCOPE_QUEUE_PASSWORD on this machine, and give the address without it (redis://USER@HOST:PORT).',
  QUEUE_UNREACHABLE: 'The job queue server cannot be reached: {detail}. Check that Redis runs on that machine and that its password is right.',
  QUEUE_NEEDS_PLAIN_VAULT: 'This data folder is encrypted at rest, and the remote job queue would copy its videos unencrypted into the shared media folder ({detail}). Analyse it with the queue on this machine, or use a data folder without encryption.',
  MEDIA_FOLDER_INVALID: 'The shared media folder cannot be used: {detail}.',
  MEDIA_MISSING: 'A file a remote job needs is missing: {detail}. Queue the analysis again.',
  MEDIA_HASH_MISMATCH: 'A file sent between machines does not match its checksum: {detail}. Nothing was stored from it; queue the analysis again, and ask IT to check the shared folder if it happens again.',
  REMOTE_PAYLOAD_INVALID: 'A job in the remote queue was refused: {detail}. It was not made by this version of WalkScope.',
  WORKER_VERSION_MISMATCH: 'The worker refused the job: {detail}. Run the same WalkScope version on the coordinator and on every worker.',
  REMOTE_JOB_FAILED: 'The job failed on a remote worker: {detail}.',
  // stage 1
  DETECTOR_INVALID: 'The person detector could not be loaded: {detail}. Reinstall WalkScope.',
  MODEL_FILE_MISSING: 'A person detection model file is missing: {detail}. Otherwise reinstall WalkScope.',
  MODEL_FILE_ALTERED: 'A person detection model file is not the one WalkScope was built with (changed or damaged): {detail}. Otherwise reinstall WalkScope.',
  DETECTOR_BACKEND_UNAVAILABLE: 'The detection runtime that was asked for cannot run here: {detail}.',
  STAGE1_ON_DERIVED: 'Video {detail} is already a person-centred clip; run stage 1 on the original video.',
  NO_PERSON_FOUND: 'No person was found in {detail}. Check that the patient is visible and well lit.',
  TRACK_NOT_FOUND: 'There is no track {detail} in this video. Pick one of the tracks shown on the video.',
  // measurements
  POSE_MODEL_INVALID: 'The pose model for the measurements could not be loaded or run: {detail}. Reinstall WalkScope.',
  // stage 2
  NO_MODEL_INSTALLED: 'No classification model is installed. Import a model bundle (Models, Import, or `walkscope models import <bundle>`) to classify videos.',
  MODEL_NOT_FOUND: 'No model bundle with id {detail} is installed.',
  MODEL_INVALID: 'The model bundle was refused: {detail}.',
  MODEL_IS_FEATURE_BACKBONE: '{detail} is a feature backbone: it gives no verdict on its own; train a head on its features first.',
  VIDEO_TOO_SHORT: 'The video is too short for this model: {detail}.',
  MODEL_NOT_FEATURE_BACKBONE: '{detail} is a classifier, not a feature backbone: video features for training come from a bundle exported with --features (tools/models/export_reference.py).',
  FEATURES_NOT_EXTRACTED: 'The video features are not ready: {detail}.',
  FEATURES_CHECKPOINT_INVALID: 'A half-finished feature extraction cannot be continued: {detail}. Remove that file and extract again.',
  NO_FRAMES_DECODED: 'No frames could be decoded from {detail}. The file may be damaged or hold no video picture; copy it again or run stage 1 again.',
  // measurements
  NOT_MEASURABLE: 'No posture measures could be made: {detail}.',
  ANNOTATION_NOT_FOUND: 'No annotation {detail} exists on this video (it may have been removed).',
  ANNOTATION_INVALID: 'That drawing cannot be measured: {detail}.',
  // studies
  STUDY_NOT_FOUND: 'No study with id {detail} exists.',
  STUDY_INVALID: 'The study cannot be used as it is: {detail}.',
  STUDY_SESSION_CLOSED: 'This reading session is not open yet: {detail}.',
  READER_CODE_TAKEN: 'A reader with code {detail} already exists.',
  ASSESSMENT_NOT_FOUND: 'No assessment {detail} exists.',
  ASSESSMENT_ALREADY_AMENDED: 'Assessment {detail} has already been amended; amend the newest version instead.',
  READER_NOT_FOUND: 'No reader with id {detail} exists.',
  STATS_INVALID: 'The statistics cannot be computed: {detail}.',
  // screening models
  SCREENING_MODEL_NOT_FOUND: 'No screening model with id {detail} exists.',
  SCREENING_MODEL_INVALID: 'The screening model file was refused: {detail}.',
  COHORT_INVALID: 'A screening model cannot be trained on this cohort: {detail}.',
  NO_SCREENING_MODEL: 'No screening model has been accepted yet. Train one from your patients (Models, Train from patients) or import one.',
  // settings and storage
  SETTINGS_INVALID: 'That setting is not valid: {detail}.',
  BACKUP_TARGET_EXISTS: 'The backup {detail} already exists. Choose a new name; WalkScope never overwrites a backup.',
  DATABASE_KEY_INVALID: 'The database key cannot be used: {detail}.',
  DATABASE_KEY_MISSING: 'The database {detail} is encrypted and no key was given. Set WALKSCOPE_DB_KEY_FILE to the key file it was encrypted with.',
  DATABASE_KEY_WRONG: 'The database {detail} cannot be opened with the key given: it is the wrong key, or the file is damaged. Nothing was changed.',
  DATABASE_NOT_ENCRYPTED: 'The database {detail} is not encrypted, but a key was given. Encrypt it once with `walkscope db encrypt` (with WalkScope closed), or start without the key.',
  VAULT_KEY_MISSING: 'The vault file {detail} is encrypted, and no key was given. Start WalkScope with the key its database was encrypted with (WALKSCOPE_DB_KEY_FILE or WALKSCOPE_DB_KEY).',
  VAULT_FILE_DAMAGED: 'The vault file {detail} cannot be decrypted. Restore it from a backup; nothing was changed.',
  BACKUP_FAILED: 'The backup could not be made: {detail}.',
  RESTORE_TARGET_NOT_EMPTY: 'WalkScope restores only into an empty or new folder, and {detail} already holds files. Choose a new folder; nothing was changed.',
  RESTORE_REFUSED: 'The backup was not restored: {detail}. Nothing was written to the data folder.',
  STORE_BUSY: 'The database is busy. Try again in a moment.',
  // reports
  REPORT_FONT_MISSING: 'The Japanese font for PDF reports is missing ({detail}). Reinstall WalkScope, or make the report in English.',
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** What travels over every transport when an operation fails. */
export interface ErrorReply {
  code: ErrorCode;
  /** The sentence in English (logs, the CLI, and any screen that cannot say it in its own language). */
  message: string;
  /** What fills the sentence's `{detail}`, so a screen can say the sentence in its own language. */
  detail?: string;
}

/**
 * Refusals the audit log records (method, code and the fields at fault, never the request's
 * values): requests that were not understood or not valid, and requests that were not allowed.
 */
export const auditedRefusals: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  // not understood, not valid
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'SETTINGS_INVALID',
  'DATA_FOLDER_INVALID',
  'MODEL_INVALID',
  'SCREENING_MODEL_INVALID',
  'STUDY_INVALID',
  'ANNOTATION_INVALID',
  'COHORT_INVALID',
  'QUEUE_URL_INVALID',
  'QUEUE_PASSWORD_IN_SETTINGS',
  'MEDIA_FOLDER_INVALID',
  // not allowed
  'UNAUTHORISED',
  'DATA_FOLDER_FIXED',
  'STUDY_SESSION_CLOSED',
]);

export function errorMessage(code: ErrorCode, detail = ''): string {
  return errorCatalogue[code].replace('{detail}', detail);
}

/** An error with a catalogue code; `cause` stays in logs, never shown in the UI. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  constructor(code: ErrorCode, detail = '', options?: { cause?: unknown }) {
    super(errorMessage(code, detail), options);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }
  toReply(): ErrorReply {
    return { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
