import { openBundle } from '../../classify/bundle.js';
import { featuresManifest } from '../../classify/bundleManifest.js';
import { releaseSessions, sessionFor } from '../../classify/classifyVideo.js';
import { extractVideoFeatures } from '../../classify/extractFeatures.js';
import { AppError } from '../../contract/errors.js';
import { phrase } from '../../contract/phrase.js';
import { ffmpegOverridesOf } from '../../media/ffmpegPaths.js';
import type { JobWorkModule } from '../jobKind.js';

/** Feature extraction in a job's worker thread: checks the bundle again, then every clip's features into the checkpoint. */
const featuresWork: JobWorkModule<'features'>['default'] = async (params, { context, signal, progress, mediaInput }) => {
  progress(0, phrase('jobs.progress.checkingBundle'));
  const bundle = await openBundle(params.bundleDir);
  try {
    const manifest = featuresManifest(bundle.manifest);
    if (bundle.sha256 !== params.bundleSha256) {
      throw new AppError('MODEL_INVALID', `${manifest.id} was replaced by other weights (SHA-256 ${bundle.sha256.slice(0, 12)}…, the extraction asked for ${params.bundleSha256.slice(0, 12)}…); extract again`);
    }
    const opened = await sessionFor(bundle, { providers: context.executionProviders, intraOpThreads: context.inferenceThreads });
    const result = await extractVideoFeatures(await mediaInput(params.sampledVideoPath), bundle, opened, params.checkpointPath, {
      signal,
      ffmpeg: ffmpegOverridesOf(context),
      onProgress: (done, total) => progress(0.02 + 0.98 * (total === 0 ? 1 : done / total), phrase('jobs.progress.featuresOfClips', { done, total })),
    });
    return { checkpointPath: params.checkpointPath, featureSize: result.featureSize, clips: result.clips, computedClips: result.computedClips, resumedClips: result.resumedClips, bundle: { id: manifest.id, sha256: bundle.sha256 }, provider: result.provider, timings: result.timings };
  } finally {
    await releaseSessions();
    await bundle.dispose();
  }
};

export default featuresWork;
