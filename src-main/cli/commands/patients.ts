import type { Patient, Video } from '../../contract/entities.js';
import { diagnosisLabels, sexValues } from '../../contract/entities.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatBytes, formatDuration, formatTable } from '../output.js';

function patientFields(values: Record<string, unknown>) {
  const fields: Record<string, unknown> = {};
  if (typeof values.name === 'string') fields.name = values.name;
  if (typeof values.sex === 'string') fields.sex = values.sex;
  if (typeof values['birth-year'] === 'string') {
    const year = Number(values['birth-year']);
    if (!Number.isInteger(year)) throw new UsageError(`--birth-year must be a year such as 1956, not "${values['birth-year']}"`);
    fields.birthYear = year;
  }
  if (typeof values.diagnosis === 'string') fields.diagnosis = values.diagnosis;
  if (typeof values.notes === 'string') fields.notes = values.notes;
  return fields;
}

const fieldOptions = {
  name: { type: 'string' },
  sex: { type: 'string' },
  'birth-year': { type: 'string' },
  diagnosis: { type: 'string' },
  notes: { type: 'string' },
} as const;

export function videoTable(videos: Video[]): string {
  return formatTable(videos, [
    { header: 'id', value: (v) => v.id, align: 'right' },
    { header: 'file', value: (v) => v.originalName },
    { header: 'view', value: (v) => v.view },
    { header: 'codec', value: (v) => v.probe.codec },
    { header: 'size', value: (v) => `${v.probe.displayWidth}x${v.probe.displayHeight}` },
    { header: 'fps', value: (v) => `${v.probe.avgFps.toFixed(2)}${v.probe.variableFrameRate ? ' VFR' : ''}`, align: 'right' },
    { header: 'duration', value: (v) => formatDuration(v.probe.durationSec), align: 'right' },
    { header: 'frames', value: (v) => v.probe.frameCount, align: 'right' },
    { header: 'audio', value: (v) => (v.probe.hasAudio ? (v.probe.audioCodec ?? 'yes') : 'no') },
    { header: 'bytes', value: (v) => formatBytes(v.sizeBytes), align: 'right' },
  ]);
}

export const patientCommands: Command[] = [
  {
    name: 'patients list',
    summary: 'List patients (code, diagnosis label, number of videos)',
    usage: 'walkscope patients list [--search TEXT] [--json]',
    options: { search: { type: 'string' } },
    async run(context, _positionals, values) {
      const patients = await context.call('patients.list', { search: typeof values.search === 'string' ? values.search : '' });
      context.print(patients, () =>
        patients.length === 0
          ? 'No patients yet. Create one with: walkscope patients create <code>'
          : formatTable<Patient>(patients, [
              { header: 'code', value: (p) => p.code },
              { header: 'diagnosis', value: (p) => p.diagnosis },
              { header: 'sex', value: (p) => p.sex },
              { header: 'born', value: (p) => p.birthYear, align: 'right' },
              { header: 'videos', value: (p) => p.videoCount, align: 'right' },
              { header: 'updated', value: (p) => p.updatedAt.slice(0, 16).replace('T', ' ') },
            ]),
      );
    },
  },
  {
    name: 'patients create',
    summary: 'Create a patient under a pseudonymous code',
    usage: `walkscope patients create <code> [--name NAME] [--sex ${sexValues.join('|')}] [--birth-year YYYY] [--diagnosis ${diagnosisLabels.join('|')}] [--notes TEXT]`,
    options: fieldOptions,
    async run(context, positionals, values) {
      const code = positionals[0];
      if (!code) throw new UsageError('give the patient code, e.g. walkscope patients create P001');
      const patient = await context.call('patients.create', { code, ...patientFields(values) });
      context.print(patient, () => `Created patient ${patient.code} (${patient.diagnosis}).`);
    },
  },
  {
    name: 'patients update',
    summary: "Change a patient's details",
    usage: 'walkscope patients update <code> [--name NAME] [--sex ...] [--birth-year YYYY] [--diagnosis ...] [--notes TEXT]',
    options: fieldOptions,
    async run(context, positionals, values) {
      const code = positionals[0];
      if (!code) throw new UsageError('give the patient code');
      const patient = await context.call('patients.update', { code, changes: patientFields(values) });
      context.print(patient, () => `Updated patient ${patient.code}.`);
    },
  },
  {
    name: 'patients show',
    summary: "Show a patient and the patient's videos",
    usage: 'walkscope patients show <code> [--json]',
    async run(context, positionals) {
      const code = positionals[0];
      if (!code) throw new UsageError('give the patient code');
      const { patient, videos } = await context.call('patients.get', { code });
      context.print({ patient, videos }, () =>
        [
          `Patient ${patient.code}${patient.name ? ` (${patient.name})` : ''}: ${patient.diagnosis}, ${patient.sex}${patient.birthYear ? `, born ${patient.birthYear}` : ''}`,
          patient.notes ? `Notes: ${patient.notes}` : '',
          '',
          videos.length === 0 ? 'No videos yet. Import one with: walkscope import <file> --patient ' + patient.code : videoTable(videos),
        ]
          .filter((line, i) => line !== '' || i === 2)
          .join('\n'),
      );
    },
  },
];
