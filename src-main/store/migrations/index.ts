import type { Migration } from './migration.js';
import { m001Foundation } from './m001Foundation.js';
import { m002ReaderStudies } from './m002ReaderStudies.js';
import { m003Analyses } from './m003Analyses.js';
import { m004AnalysisRuns } from './m004AnalysisRuns.js';
import { m005Measurements } from './m005Measurements.js';
import { m006ScreeningModels } from './m006ScreeningModels.js';
import { m007StudySessions } from './m007StudySessions.js';
import { m008JobLeases } from './m008JobLeases.js';
import { m009AuditChain } from './m009AuditChain.js';
import { m010ControlDiagnosis } from './m010ControlDiagnosis.js';
import { m011RecordingDay } from './m011RecordingDay.js';
import { m012BundleImportedFrom } from './m012BundleImportedFrom.js';
import { m013JobMessagePhrase } from './m013JobMessagePhrase.js';
import { m014JobWorker } from './m014JobWorker.js';
import { m015ClipFeatures } from './m015ClipFeatures.js';

export type { Migration } from './migration.js';

/** Every migration in order. Add new ones at the end, each in its own file. */
export const migrations: Migration[] = [m001Foundation, m002ReaderStudies, m003Analyses, m004AnalysisRuns, m005Measurements, m006ScreeningModels, m007StudySessions, m008JobLeases, m009AuditChain, m010ControlDiagnosis, m011RecordingDay, m012BundleImportedFrom, m013JobMessagePhrase, m014JobWorker, m015ClipFeatures];
