/** How the study screen words the OR-MRMC results: the primary endpoint first, in one sentence. */
import type { StudyMrmc } from '../../../src-main/contract/entities.js';
import type { MrmcDifference, MrmcResult } from '../../../src-main/contract/mrmc.js';

const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(3)}`;
const plain = (x: number) => (x < 0 ? `−${Math.abs(x).toFixed(3)}` : x.toFixed(3));
const pText = (p: number | null) => (p === null ? 'p undefined' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** "aided − unaided: +0.044 (95% CI −0.000 to 0.088), t on 15.3 df, p = 0.052". */
export function differenceText(d: MrmcDifference, level = 0.95): string {
  const df = d.df === null ? 'normal' : `t on ${d.df.toFixed(1)} df`;
  return `${d.modalityA} − ${d.modalityB}: ${signed(d.difference)} (${Math.round(level * 100)}% CI ${plain(d.lower)} to ${plain(d.upper)}), ${df}, ${pText(d.p)}`;
}

/** Each modality's reader-averaged AUROC with its random-readers, random-cases interval. */
export function modalityLines(result: MrmcResult): string[] {
  return result.singleModality.map((m) => {
    const ci = m.randomReadersRandomCases ? ` (95% CI ${plain(m.randomReadersRandomCases.lower)} to ${plain(m.randomReadersRandomCases.upper)})` : ' (CI needs two readers)';
    return `${m.modality}: reader-averaged AUROC ${m.auc.toFixed(3)}${ci}`;
  });
}

/** The study's primary endpoint: aided against unaided when both were read, else the model against the readers; null with nothing to say. */
export function primaryEndpoint(mrmc: StudyMrmc): { title: string; result: MrmcResult; line: string } | null {
  const primary = mrmc.readerModalities ?? mrmc.versusModel;
  const test = primary?.randomReadersRandomCases;
  if (!primary || !test) return null;
  const title = mrmc.readerModalities ? 'Aided against unaided reading' : `The model against the readers (${mrmc.model})`;
  const f = `F = ${test.f.toFixed(2)} on (${test.ndf}, ${test.ddf === null ? '∞' : test.ddf.toFixed(2)}) df`;
  return { title, result: primary, line: `${differenceText(test.differences[0]!, primary.level)}; ${f}` };
}
