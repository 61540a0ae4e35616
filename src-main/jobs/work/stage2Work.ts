import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { classifyVideo, releaseSessions } from '../../classify/classifyVideo.js';
import { openBundle } from '../../classify/bundle.js';
import type { ProviderName } from '../../runtime/executionProviders.js';
import type { Aggregation } from '../../domain/scoreAggregation.js';
import type { JobWork } from '../jobKinds.js';

export interface Stage2Params {
  videoId: number;
  classifiedVideoId: number;
  classifiedVideoPath: string;
  bundleDir: string;
  aggregation: Aggregation;
}

/** Stage 2 in a job's worker thread: checks the installed bundle again and classifies the video. */
const stage2Work: JobWork = async (raw, { context, signal, progress }) => {
  const params = raw as unknown as Stage2Params;
  progress(0, 'Checking the model bundle');
  const bundle = await openBundle(params.bundleDir);
  try {
    progress(0.02, 'Decoding and classifying clips');
    return await classifyVideo(params.classifiedVideoPath, bundle, {
      providers: context.executionProviders as ProviderName[],
      intraOpThreads: context.inferenceThreads,
      aggregation: params.aggregation,
      signal,
      ffmpeg: ffmpegOverridesOf(context),
      onProgress: (fraction, message) => progress(0.02 + 0.98 * fraction, message),
    });
  } finally {
    await releaseSessions();
    await bundle.dispose();
  }
};

export default stage2Work;
