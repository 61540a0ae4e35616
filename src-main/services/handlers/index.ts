import type { ServiceHandlers } from '../../contract/dispatcher.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import { analysisHandlers } from './analysisHandlers.js';
import { measurementHandlers } from './measurementHandlers.js';
import { modelHandlers } from './modelHandlers.js';
import { patientHandlers } from './patientHandlers.js';
import { screeningHandlers } from './screeningHandlers.js';
import { settingsHandlers } from './settingsHandlers.js';
import { studyHandlers } from './studyHandlers.js';
import { videoHandlers } from './videoHandlers.js';

/** The implementation of every contract method, area by area (the type checks that none is missing). */
export function createHandlers(ctx: ServiceContext, services: Services): ServiceHandlers {
  return { ...settingsHandlers(ctx), ...patientHandlers(ctx), ...videoHandlers(ctx, services), ...analysisHandlers(ctx, services), ...modelHandlers(ctx, services), ...measurementHandlers(ctx, services), ...studyHandlers(ctx, services), ...screeningHandlers(ctx, services) };
}
