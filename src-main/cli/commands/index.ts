import type { Command } from '../command.js';
import { patientCommands } from './patients.js';
import { importAndJobCommands } from './importAndJobs.js';
import { studyCommands } from './study.js';
import { statsCommands } from './stats.js';
import { modelCommands } from './models.js';
import { prepareCommands } from './prepare.js';
import { measureCommands } from './measure.js';
import { adminCommands } from './admin.js';
import { screeningCommands } from './screening.js';
import { exportCommands } from './exports.js';
import { workerCommands } from './worker.js';
import { featureCommands } from './features.js';

/** Every command of the `walkscope` tool. */
export const commands: Command[] = [...patientCommands, ...importAndJobCommands, ...studyCommands, ...statsCommands, ...modelCommands, ...prepareCommands, ...measureCommands, ...exportCommands, ...featureCommands, ...screeningCommands, ...adminCommands, ...workerCommands];
