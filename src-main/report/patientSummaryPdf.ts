import PDFDocument from 'pdfkit';
import type { Patient } from '../contract/entities.js';
import { measureInfo, sagittalFive, type MeasureName, type MeasureSummary, type MeasurementFrames, type VideoMeasurements } from '../contract/measurements.js';
import { figureRegion, keypointsOnFrame, postureLines, type Point } from '../domain/posture/keyFrameFigure.js';
import { dash } from './reportText.js';
import type { Language } from '../contract/i18n/languages.js';
import { formatLocalDateTime } from '../contract/i18n/localeFormat.js';
import { translatorFor, type Vars } from '../contract/i18n/translator.js';
import { measureNameKey } from '../contract/i18n/measureKeys.js';
import { pdfFontsFor, type PdfFonts } from './pdfFonts.js';

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
  /** The language the summary is written in. */
  language: Language;
  /** The bundled Japanese font (resources/fonts), needed for a Japanese summary; null when not found. */
  japaneseFontPath: string | null;
}

/** What the drawing helpers need besides the document: the fonts and the sentences of the language. */
interface Writer {
  fonts: PdfFonts;
  t: (key: string, vars?: Vars) => string;
}

const measureKey = measureNameKey;

const margin = 36;
const ink = '#1d232b';
const muted = '#5b6570';
const lineColours = { trunk: '#1f5fa8', head: '#b4461f', left: '#2e7d32', right: '#6a3d9a' };

const unitOf = (name: MeasureName, t: (key: string) => string) => (measureInfo[name].unit === 'deg' ? '°' : t('reports.summary.trunkLengthUnit'));
const value = (x: number | undefined, name: MeasureName, t: (key: string) => string) => (x === undefined ? dash : `${x.toFixed(measureInfo[name].unit === 'deg' ? 1 : 2)}${unitOf(name, t)}`);

/**
 * Draws the key frame cut to the patient (their keypoints' extent with room around it, in the
 * box's aspect), with the trunk, head, thigh and shank lines the angles are measured on.
 */
function keyFrameFigure(doc: Doc, w: Writer, video: SummaryVideo, x: number, y: number, width: number, height: number): void {
  const still = video.keyFrame;
  const points = still && video.frames ? keypointsOnFrame(video.frames.pose, still.frame, video.measurements?.provenance.minScore ?? 0.3) : new Map();
  const region = figureRegion(points, width / height);
  if (!still || !region) {
    doc.rect(x, y, width, height).fillAndStroke('#eef0f3', '#d7dbe0');
    const why = video.measurements ? w.t('reports.summary.noSideFrame') : w.t('reports.summary.noMeasuredVideo');
    doc.fillColor(muted).font(w.fonts.regular).fontSize(8).text(why, x + 8, y + height / 2 - 5, { width: width - 16, align: 'center' });
    return;
  }
  const scale = width / region.width;
  const toPage = (p: Point) => ({ x: x + (p.x - region.x) * scale, y: y + (p.y - region.y) * scale });
  doc.save();
  doc.rect(x, y, width, height).clip();
  const image = toPage({ x: 0, y: 0 });
  doc.image(still.jpeg, image.x, image.y, { width: still.width * scale, height: still.height * scale });
  doc.restore();
  doc.rect(x, y, width, height).lineWidth(0.5).strokeColor('#d7dbe0').stroke();
  const lines = postureLines(points);
  doc.save();
  doc.rect(x, y, width, height).clip();
  if (lines.vertical) {
    const [a, b] = [toPage(lines.vertical.a), toPage(lines.vertical.b)];
    doc.dash(4, { space: 3 }).moveTo(a.x, a.y).lineTo(b.x, b.y).lineWidth(1.2).strokeColor('#ffffff').stroke().undash();
  }
  for (const segment of lines.segments) {
    const [a, b] = [toPage(segment.a), toPage(segment.b)];
    doc.moveTo(a.x, a.y).lineTo(b.x, b.y).lineWidth(2.5).strokeColor(lineColours[segment.part]).stroke();
  }
  doc.restore();
  const fps = video.frames!.pose.fps;
  doc.fillColor(muted).font(w.fonts.regular).fontSize(7).text(w.t('reports.summary.keyFrame', { frame: still.frame + 1, seconds: (still.frame / fps).toFixed(2) }), x, y + height + 3, { width });
}

/** A small line chart of one per-frame measure over time, gaps left open. */
function seriesChart(doc: Doc, w: Writer, frames: MeasurementFrames, name: MeasureName, x: number, y: number, width: number, height: number): void {
  const values = frames.series.values[name] ?? [];
  const points = frames.series.frames.map((f, i) => ({ t: f / frames.pose.fps, v: values[i] ?? null })).filter((p): p is { t: number; v: number } => p.v !== null);
  doc.font(w.fonts.bold).fontSize(8).fillColor(ink).text(`${w.t(measureKey[name])} (${measureInfo[name].unit === 'deg' ? w.t('measures.unit.degrees') : w.t('measures.unit.trunkLengths')})`, x, y);
  const top = y + 11;
  doc.rect(x, top, width, height).lineWidth(0.5).strokeColor('#d7dbe0').stroke();
  if (points.length < 2) {
    doc.font(w.fonts.regular).fontSize(7).fillColor(muted).text(w.t('reports.summary.notEnoughFrames'), x + 6, top + height / 2 - 4);
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
  doc.font(w.fonts.regular).fontSize(6).fillColor(muted);
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
  const { patient, language } = context;
  const t = translatorFor(language).t;
  const doc = new PDFDocument({ size: 'A4', margin, lang: language, info: { Title: t('reports.summary.documentTitle', { code: patient.code }), Creator: `WalkScope ${context.appVersion}` } });
  const w: Writer = { fonts: pdfFontsFor(doc, language, context.japaneseFontPath), t };
  const sexKey = { female: 'reports.summary.sex.female', male: 'reports.summary.sex.male', other: 'reports.summary.sex.other' } as const;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * margin;

  doc.font(w.fonts.bold).fontSize(16).fillColor(ink).text(t('reports.summary.title', { code: patient.code }), margin, margin);
  const facts = [patient.sex !== 'unknown' ? t(sexKey[patient.sex]) : null, patient.birthYear ? t('reports.summary.born', { year: patient.birthYear }) : null, t('reports.summary.diagnosis', { diagnosis: patient.diagnosis })].filter(Boolean).join(' · ');
  doc.font(w.fonts.regular).fontSize(9).fillColor(muted).text(t('reports.summary.subtitle', { facts, version: context.appVersion, time: formatLocalDateTime(language, context.generatedAt) }));
  doc.moveDown(0.3).fontSize(8).text(t('reports.summary.method'), { width });

  const measured = context.videos.filter((v) => v.measurements);
  const latest = measured.at(-1);
  const top = doc.y + 8;
  const figureWidth = 190;
  const figureHeight = 230;
  keyFrameFigure(doc, w, latest ?? { name: '', importedAt: '', measurements: null, frames: null }, margin, top, figureWidth, figureHeight);
  const figureBottom = Math.max(doc.y, top + figureHeight);

  // the five measures: one column per video, the patient's mean last
  const tableX = margin + figureWidth + 14;
  const tableWidth = width - figureWidth - 14;
  const columns = [...measured.slice(-3), null];
  const labelWidth = 92;
  const colWidth = (tableWidth - labelWidth) / columns.length;
  let y = top;
  doc.font(w.fonts.bold).fontSize(7).fillColor(ink);
  doc.text(t('reports.summary.measure'), tableX, y, { width: labelWidth });
  columns.forEach((v, i) => doc.text(v ? v.name.replace(/\.[^.]+$/, '').slice(0, 22) : t('reports.summary.patientMean'), tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' }));
  y += 20;
  const rows: MeasureName[] = [...sagittalFive, 'kneeRangeLeft', 'kneeRangeRight'];
  doc.font(w.fonts.regular).fontSize(8);
  for (const name of rows) {
    doc.moveTo(tableX, y - 3).lineTo(tableX + tableWidth, y - 3).lineWidth(0.4).strokeColor('#d7dbe0').stroke();
    doc.fillColor(ink).text(t(measureKey[name]), tableX, y, { width: labelWidth });
    columns.forEach((v, i) => {
      const stat = v ? v.measurements!.summary.measures[name] : context.summary?.measures[name];
      const text = stat ? `${value(stat.mean, name, t)} ± ${stat.sd.toFixed(measureInfo[name].unit === 'deg' ? 1 : 2)}` : dash;
      doc.text(text, tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
    });
    y += 14;
  }
  doc.moveTo(tableX, y - 3).lineTo(tableX + tableWidth, y - 3).lineWidth(0.4).strokeColor('#d7dbe0').stroke();
  doc.fillColor(ink).text(t('reports.summary.cadence'), tableX, y, { width: labelWidth });
  columns.forEach((v, i) => {
    const cadence = v?.measurements?.gait.cadence;
    doc.text(v ? (cadence === null || cadence === undefined ? dash : t('reports.summary.stepsPerMinute', { value: cadence.toFixed(0) })) : '', tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
  });
  y += 14;
  doc.fillColor(ink).text(t('reports.summary.sagittalSegments'), tableX, y, { width: labelWidth });
  columns.forEach((v, i) => {
    const s = v ? v.measurements!.summary : context.summary;
    doc.text(s ? t('reports.summary.segmentsOf', { sagittal: s.sagittalSegments, all: s.segments }) : dash, tableX + labelWidth + i * colWidth, y, { width: colWidth - 4, align: 'right' });
  });
  y += 18;
  const notes = [...new Set([...(context.summary?.notes ?? []), ...measured.flatMap((v) => v.measurements!.summary.notes)])];
  if (measured.length === 0) notes.unshift(t('reports.summary.noneMeasured'));
  if (context.videos.length > measured.length) notes.push(t('reports.summary.unmeasured', { missing: context.videos.length - measured.length, all: context.videos.length }));
  doc.font(w.fonts.regular).fontSize(7).fillColor(muted);
  for (const note of notes.slice(0, 6)) {
    doc.text(note, tableX, y, { width: tableWidth });
    y = doc.y + 2;
  }

  // the latest video over time
  const chartsTop = Math.max(figureBottom + 14, y + 8);
  if (latest?.frames) {
    doc.font(w.fonts.bold).fontSize(10).fillColor(ink).text(t('reports.summary.overTime', { name: latest.name }), margin, chartsTop);
    const chartWidth = (width - 40) / 2;
    seriesChart(doc, w, latest.frames, 'trunkLean', margin + 26, chartsTop + 16, chartWidth - 26, 90);
    seriesChart(doc, w, latest.frames, 'hipFlexionLeft', margin + chartWidth + 40 + 26, chartsTop + 16, chartWidth - 26, 90);
    seriesChart(doc, w, latest.frames, 'headForward', margin + 26, chartsTop + 140, chartWidth - 26, 90);
    seriesChart(doc, w, latest.frames, 'hipFlexionRight', margin + chartWidth + 40 + 26, chartsTop + 140, chartWidth - 26, 90);
  }
  const provenance = latest?.measurements?.provenance;
  doc.font(w.fonts.regular).fontSize(6.5).fillColor(muted).text(
    provenance ? t('reports.summary.provenance', { model: provenance.model, sha: provenance.modelSha256.slice(0, 12), filter: provenance.filter, version: provenance.version }) : '',
    margin,
    doc.page.height - margin - 10,
    { width, lineBreak: false },
  );
  doc.end();
  return done;
}
