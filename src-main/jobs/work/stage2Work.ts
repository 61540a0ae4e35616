import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import { classifyVideo, releaseSessions } from '../../classify/classifyVideo.js';
import { openBundle } from '../../classify/bundle.js';
import { classifierManifest } from '../../classify/bundleManifest.js';
import { phrase } from '../../contract/phrase.js';
import type { JobWorkModule } from '../jobKind.js';

/** Stage 2 in a job's worker thread: checks the installed bundle again and classifies the video. */
const stage2Work: JobWorkModule<'stage2'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  progress(0, phrase('jobs.progress.checkingBundle'));
  const bundle = await openBundle(params.bundleDir);
  try {
    classifierManifest(bundle.manifest); // a feature backbone (re-imported under the same id since the run was planned) gives no verdict
    progress(0.02, phrase('jobs.progress.classifyingClips'));
    return await classifyVideo(await mediaInput(params.classifiedVideoPath), bundle, {
      providers: context.executionProviders,
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
