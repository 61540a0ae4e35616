import common from './common.js';
import compare from './compare.js';
import components from './components.js';
import errors from './errors.js';
import jobs from './jobs.js';
import language from './language.js';
import measures from './measures.js';
import models from './models.js';
import patients from './patients.js';
import reports from './reports.js';
import screeningReport from './screeningReport.js';
import review from './review.js';
import settings from './settings.js';
import studies from './studies.js';
import studyReport from './studyReport.js';
import visits from './visits.js';

/** The English catalogue: every sentence WalkScope shows, one section per screen or report. */
export default { common, compare, components, errors, jobs, language, measures, models, patients, reports, review, screeningReport, settings, studies, studyReport, visits } as const;
