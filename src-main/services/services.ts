import { AnalysisPipeline } from './analysisPipeline.js';
import { AnalysisResults } from './analysisResults.js';
import { DeidentifyService } from './deidentifyService.js';
import { MeasurementService } from './measurementService.js';
import { ModelService } from './modelService.js';
import { ScreeningService } from './screeningService.js';
import type { ServiceContext } from './serviceContext.js';
import { StudyResultsService } from './studyResults.js';
import { StudyReadingService } from './studyReading.js';
import { StudyService } from './studyService.js';
import { VideoService } from './videoService.js';
import { VideoFeatureService } from './videoFeatureService.js';

/** Every service of the back end; each is a class over the ServiceContext. */
export interface Services {
  videos: VideoService;
  results: AnalysisResults;
  pipeline: AnalysisPipeline;
  models: ModelService;
  measurements: MeasurementService;
  studies: StudyService;
  reading: StudyReadingService;
  studyResults: StudyResultsService;
  screening: ScreeningService;
  videoFeatures: VideoFeatureService;
  deidentify: DeidentifyService;
}

export function createServices(ctx: ServiceContext): Services {
  const results = new AnalysisResults(ctx);
  const models = new ModelService(ctx);
  const deidentify = new DeidentifyService(ctx, results);
  const measurements = new MeasurementService(ctx, results, deidentify);
  const videoFeatures = new VideoFeatureService(ctx, results, models);
  const screening = new ScreeningService(ctx, results, measurements, videoFeatures, models);
  return {
    videos: new VideoService(ctx),
    results,
    pipeline: new AnalysisPipeline(ctx, results, models, measurements),
    models,
    measurements,
    studies: new StudyService(ctx, results),
    reading: new StudyReadingService(ctx, results, screening, measurements),
    studyResults: new StudyResultsService(ctx, models),
    screening,
    videoFeatures,
    deidentify,
  };
}
