import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { measurePatient } from '../../measure/measurePatient.js';
import type { JobWorkModule } from '../jobKind.js';

/** The measurement step in a job's worker thread: keypoints on every frame of the patient, then the measures. */
const measureWork: JobWorkModule<'measure'>['default'] = async (params, { context, signal, progress, mediaInput }) =>
  measurePatient(
    { videoPath: await mediaInput(params.videoPath), squares: params.squares, segments: params.segments, verticalReferenceDeg: params.verticalReferenceDeg, model: params.model },
    { workers: context.detectionWorkers, ffmpeg: ffmpegOverridesOf(context), signal, onProgress: progress },
  );

export default measureWork;
