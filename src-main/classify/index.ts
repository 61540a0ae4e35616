/**
 * Stage 2 public API. Services, jobs and the CLI import from here.
 *
 *   const bundle = await openBundle('/path/to/bundle-or.zip');   // checked: schema, SHA-256, ONNX shapes
 *   const classifier = new Stage2Classifier({ intraOpThreads: 2 });
 *   const result = await classifier.classifyVideo(video, bundle, { onProgress, signal });
 *   await classifier.dispose(); await bundle.dispose();
 */
export { openBundle, copyBundle, sha256Of, type OpenedBundle, type BundleCheck } from './bundle.js';
export { bundleManifestSchema, type BundleManifest } from './bundleManifest.js';
export { Stage2Classifier, type Stage2ClassifierOptions, type ClassifyVideoOptions, type BatchRun } from './classifier.js';
export type { BundleRef, ClipScore, VideoClassification } from './classifyVideo.js';
export { defaultProviderOrder, providerNames, type ProviderName, type SkippedProvider } from './executionProviders.js';
export { FFMPEG_SCALE_FLAGS, type PreprocessingParameters, type ResizeMode } from './preprocess.js';
