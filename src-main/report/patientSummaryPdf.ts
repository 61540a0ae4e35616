import PDFDocument from 'pdfkit';
import type { Patient } from '../contract/entities.js';
import { keypointNames, measureInfo, sagittalFive, type MeasureName, type MeasureSummary, type MeasurementFrames, type VideoMeasurements } from '../contract/measurements.js';
import { dash } from './reportText.js';

type Doc = InstanceType<typeof PDFDocument>;

/** One of the patient's videos, as the summary shows it. */
export interface SummaryVideo {
  name: string;
  importedAt: string;
  measurements: VideoMeasurements | null;
  frames: MeasurementFrames | null;
  /** The still of the key frame (JPEG) and which timeline frame it is; absent when the video has no measured frame. */
  keyFrame?: { jpeg: Buffer; frame: number; width: number; height: number } | undefined;
}

export interface PatientSummaryContext {
  patient: Patient;
  videos: SummaryVideo[];
  summary: MeasureSummary | null;
  appVersion: string;
  generatedAt: string;
}

const margin = 36;
const ink = '#1d232b';
const muted = '#5b6570';
const lineColours = { trunk: '#1f5fa8', head: '#b4461f', left: '#2e7d32', right: '#6a3d9a' };

const unitOf = (name: MeasureName) => (measureInfo[name].unit === 'deg' ? '°' : ' TL');
const value = (x: number | undefined, name: MeasureName) => (x === undefined ? dash : `${x.toFixed(measureInfo[name].unit === 'deg' ? 1 : 2)}${unitOf(name)}`);

/**
 * The key frame of a video: the middle of its best-seen sagittal segment (highest quality), on
 * a frame that has keypoints; undefined when none is sagittal.
 */
export function keyFrameOf(measurements: VideoMeasurements, frames: MeasurementFrames): number | undefined {
  const sagittal = measurements.segments.filter((s) => s.view === 'sagittal').sort((a, b) => b.quality - a.quality || a.index - b.index);
  const best = sagittal[0];
  if (!best) return undefined;
  const middle = (best.startFrame + best.endFrame) / 2;
  const candidates = frames.pose.frames.filter((f) => f >= best.startFrame && f <= best.endFrame);
  return candidates.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
}

/** The patient's keypoints on one frame of the pose track, confident ones only, in original pixels. */
function keypointsAt(frames: MeasurementFrames, frame: number, minScore: number): Map<(typeof keypointNames)[number], { x: number; y: number }> {
  const { pose } = frames;
  const index = pose.frames.indexOf(frame);
  const points = new Map<(typeof keypointNames)[number], { x: number; y: number }>();
  if (index < 0) return points;
  const stride = pose.names.length * 3;
  pose.names.forEach((name, k) => {
    const base = index * stride + k * 3;
    if (pose.points[base + 2]! >= minScore) points.set(name, { x: pose.points[base]!, y: pose.points[base + 1]! });
  });
  return points;
}

/**
 * Draws the key frame cut to the patient (their keypoints' extent with room around it, in the
 * box's aspect), with the trunk, head, thigh and shank lines the angles are measured on.
 */
function keyFrameFigure(doc: Doc, video: SummaryVideo, x: number, y: number, width: number, height: number): void {
  const still = video.keyFrame;
  const points = still && video.frames ? keypointsAt(video.frames, still.frame, video.measurements?.provenance.minScore ?? 0.3) : new Map();
  if (!still || points.size === 0) {
    doc.rect(x, y, width, height).fillAndStroke('#eef0f3', '#d7dbe0');
    const why = video.measurements ? 'No frame seen from the side: no key frame.' : 'No measured video yet: no key frame.';
    doc.fillColor(muted).font('Helvetica').fontSize(8).text(why, x + 8, y + height / 2 - 5, { width: width - 16, align: 'center' });
    return;
  }
  // the region of the original shown: the keypoints' extent, 35% more on every side, in the box's aspect
  const xs = [...points.values()].map((p) => p.x);
  const ys = [...points.values()].map((p) => p.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  let rh = (Math.max(...ys) - Math.min(...ys)) * 1.35;
  let rw = (Math.max(...xs) - Math.min(...xs)) * 1.35;
  if (rw / rh < width / height) rw = (rh * width) / height;
  else rh = (rw * height) / width;
  const scale = width / rw;
  const toPage = (p: { x: number; y: number }) => ({ x: x + (p.x - (cx - rw / 2)) * scale, y: y + (p.y - (cy - rh / 2)) * scale });
  doc.save();
  doc.rect(x, y, width, height).clip();
  const image = toPage({ x: 0, y: 0 });
  doc.image(still.jpeg, image.x, image.y, { width: still.width * scale, height: still.height * scale });
  doc.restore();
  doc.rect(x, y, width, height).lineWidth(0.5).strokeColor('#d7dbe0').stroke();
  const at = (name: (typeof keypointNames)[number]) => {
    const p = points.get(name);
    return p ? toPage(p) : undefined;
  };
  const mid = (a?: { x: number; y: number }, b?: { x: number; y: number }) => (a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : (a ?? b));
  const segment = (a: { x: number; y: number } | undefined, b: { x: number; y: number } | undefined, colour: string) => {
    if (a && b) doc.moveTo(a.x, a.y).lineTo(b.x, b.y).lineWidth(2.5).strokeColor(colour).stroke();
  };
  doc.save();
  doc.rect(x, y, width, height).clip();
  const hips = mid(at('leftHip'), at('rightHip'));
  const shoulders = mid(at('leftShoulder'), at('rightShoulder'));
  // the vertical through the hips, which trunk lean is measured from
  if (hips && shoulders) doc.dash(4, { space: 3 }).moveTo(hips.x, hips.y).lineTo(hips.x, shoulders.y - (hips.y - shoulders.y) * 0.3).lineWidth(1.2).strokeColor('#ffffff').stroke().undash();
  segment(hips, shoulders, lineColours.trunk);
  segment(shoulders, at('leftEar') ?? at('rightEar'), lineColours.head);
  for (const side of ['left', 'right'] as const) {
    segment(at(`${side}Hip`), at(`${side}Knee`), lineColours[side]);
    segment(at(`${side}Knee`), at(`${side}Ankle`), lineColours[side]);
  }
  doc.restore();
  const fps = video.frames!.pose.fps;
  doc.fillColor(muted).font('Helvetica').fontSize(7).text(`Frame ${still.frame + 1} (${(still.frame / fps).toFixed(2)} s): trunk blue against the dashed vertical, head orange, left leg green, right leg purple. Faces blurred (de-identified still).`, x, y + height + 3, { width });
}

/** A small line chart of one per-frame measure over time, gaps left open. */
function seriesChart(doc: Doc, frames: MeasurementFrames, name: MeasureName, x: number, y: number, width: number, height: number): void {
  const values = frames.series.values[name] ?? [];
  const points = frames.series.frames.map((f, i) => ({ t: f / frames.pose.fps, v: values[i] ?? null })).filter((p): p is { t: number; v: number } => p.v !== null);
  doc.font('Helvetica-Bold').fontSize(8).fillColor(ink).text(`${measureInfo[name].label} (${measureInfo[name].unit === 'deg' ? 'degrees' : 'trunk lengths'})`, x, y);
  const top = y + 11;
  doc.rect(x, top, width, height).lineWidth(0.5).strokeColor('#d7dbe0').stroke();
  if (points.length < 2) {
    doc.font('Helvetica').fontSize(7).fillColor(muted).text('Not measured on enough frames.', x + 6, top + height / 2 - 4);
    return;
  }
  const t0 = points[0]!.t;
  const t1 = points.at(-1)!.t;
  let lo = Math.min(...points.map((p) => p.v));
  let hi = Math.max(...points.map((p) => p.v));
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const px = (t: number) => x + ((t - t0) / Math.max(t1 - t0, 1e-9)) * width;
  const py = (v: number) => top + height - ((v - lo) / (hi - lo)) * height;
  doc.lineWidth(1).strokeColor(lineColours.trunk);
  let drawing = false;
  let previous: number | undefined;
  for (const p of points) {
    const gap = previous !== undefined && p.t - previous > 2 / frames.pose.fps;
    if (!drawing || gap) doc.moveTo(px(p.t), py(p.v));
    else doc.lineTo(px(p.t), py(p.v));
    drawing = true;
    previous = p.t;
  }
  doc.stroke();
  doc.font('Helvetica').fontSize(6).fillColor(muted);
  doc.text(hi.toFixed(1), x - 24, top - 2, { width: 22, align: 'right' });
  doc.text(lo.toFixed(1), x - 24, top + height - 6, { width: 22, align: 'right' });
  doc.text(`${t0.toFixed(1)} s`, x, top + height + 2);
  doc.text(`${t1.toFixed(1)} s`, x + width - 30, top + height + 2, { width: 30, align: 'right' });
}

/**
 * The one-page patient summary: the latest measured video's key frame with the lines the angles
 * are measured on, the five sagittal measures per video and for the patient, gait, and the trunk
 * lean and hip flexion of the latest video over time. Measures come from 2D keypoints of the video.
 */
export async function patientSummaryPdf(context: PatientSummaryContext): Promise<Buffer> {
  const { patient } = context;
  const doc = new PDFDocument({ size: 'A4', margin, info: { Title: `WalkScope patient summary: ${patient.code}`, Creator: `WalkScope ${context.appVersion}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * margin;

  doc.font('Helvetica-Bold').fontSize(16).fillColor(ink).text(`Patient ${patient.code}`, margin, margin);
  const facts = [patient.sex !== 'unknown' ? patient.sex : null, patient.birthYear ? `born ${patient.birthYear}` : null, `diagnosis label: ${patient.diagnosis}`].filter(Boolean).join(' · ');
  doc.font('Helvetica').fontSize(9).fillColor(muted).text(`${facts} · posture and gait summary · WalkScope ${context.appVersion} · ${context.generatedAt.slice(0, 16).replace('T', ' ')} UTC`);
  doc.moveDown(0.3).fontSize(8).text('Measured from the 2D keypoints of walking videos seen from the side (sagittal segments only); angles in degrees, forward positive; offsets in trunk lengths (TL). A screening aid for research: check each value against the video.', { width });

  const measured = context.videos.filter((v) => v.measurements);
  const latest = measured.at(-1);
  const top = doc.y + 8;
  const figureWidth = 190;
  const figureHeight = 230;
  keyFrameFigure(doc, latest ?? { name: '', importedAt: '', measurements: null, frames: null }, margin, top, figureWidth, figureHeight);
  const figureBottom = Math.max(doc.y, top + figureHeight);

  // the five measures: one column per video, the patient's mean last
  const tableX = margin + figureWidth + 14;
  const tableWidth = width - figureWidth - 14;
  const columns = [...measured.slice(-3), null];
  const labelWidth = 92;
  const colWidth = (tableWidth - labelWidth) / columns.length;
  let y = top;
  doc.font('Helvetica-Bold').fontSize(7).fillColor(ink);
  doc.text('Measure', tableX, y, { width: labelWidth });
  columns.forEach((v, i) => doc.text(v ? v.name.replace(/\.[^.]+$/, '').slice(0, 22) : 'Patient (mean of videos)', tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' }));
  y += 20;
  const rows: MeasureName[] = [...sagittalFive, 'kneeRangeLeft', 'kneeRangeRight'];
  doc.font('Helvetica').fontSize(8);
  for (const name of rows) {
    doc.moveTo(tableX, y - 3).lineTo(tableX + tableWidth, y - 3).lineWidth(0.4).strokeColor('#d7dbe0').stroke();
    doc.fillColor(ink).text(measureInfo[name].label, tableX, y, { width: labelWidth });
    columns.forEach((v, i) => {
      const stat = v ? v.measurements!.summary.measures[name] : context.summary?.measures[name];
      const text = stat ? `${value(stat.mean, name)} ± ${stat.sd.toFixed(measureInfo[name].unit === 'deg' ? 1 : 2)}` : dash;
      doc.text(text, tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
    });
    y += 14;
  }
  doc.moveTo(tableX, y - 3).lineTo(tableX + tableWidth, y - 3).lineWidth(0.4).strokeColor('#d7dbe0').stroke();
  doc.fillColor(ink).text('Cadence', tableX, y, { width: labelWidth });
  columns.forEach((v, i) => {
    const cadence = v?.measurements?.gait.cadence;
    doc.text(v ? (cadence === null || cadence === undefined ? dash : `${cadence.toFixed(0)} steps/min`) : '', tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
  });
  y += 14;
  doc.fillColor(ink).text('Sagittal segments', tableX, y, { width: labelWidth });
  columns.forEach((v, i) => {
    const s = v ? v.measurements!.summary : context.summary;
    doc.text(s ? `${s.sagittalSegments} of ${s.segments}` : dash, tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
  });
  y += 18;
  const notes = [...new Set([...(context.summary?.notes ?? []), ...measured.flatMap((v) => v.measurements!.summary.notes)])];
  if (measured.length === 0) notes.unshift('No video of this patient has been measured yet: analyse the videos first.');
  if (context.videos.length > measured.length) notes.push(`${context.videos.length - measured.length} of ${context.videos.length} videos have no measurements.`);
  doc.font('Helvetica').fontSize(7).fillColor(muted);
  for (const note of notes.slice(0, 6)) {
    doc.text(note, tableX, y, { width: tableWidth });
    y = doc.y + 2;
  }

  // the latest video over time
  const chartsTop = Math.max(figureBottom + 14, y + 8);
  if (latest?.frames) {
    doc.font('Helvetica-Bold').fontSize(10).fillColor(ink).text(`Over time: ${latest.name}`, margin, chartsTop);
    const chartWidth = (width - 40) / 2;
    seriesChart(doc, latest.frames, 'trunkLean', margin + 26, chartsTop + 16, chartWidth - 26, 90);
    seriesChart(doc, latest.frames, 'hipFlexionLeft', margin + chartWidth + 40 + 26, chartsTop + 16, chartWidth - 26, 90);
    seriesChart(doc, latest.frames, 'headForward', margin + 26, chartsTop + 140, chartWidth - 26, 90);
    seriesChart(doc, latest.frames, 'hipFlexionRight', margin + chartWidth + 40 + 26, chartsTop + 140, chartWidth - 26, 90);
  }
  doc.font('Helvetica').fontSize(6.5).fillColor(muted).text(
    latest ? `Keypoints: ${latest.measurements!.provenance.model} (${latest.measurements!.provenance.modelSha256.slice(0, 12)}…), filter ${latest.measurements!.provenance.filter}, measurement version ${latest.measurements!.provenance.version}.` : '',
    margin,
    doc.page.height - margin - 10,
    { width, lineBreak: false },
  );
  doc.end();
  return done;
}
