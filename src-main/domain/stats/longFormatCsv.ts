import { AppError } from '../../contract/errors.js';
import { formatDecimal } from '../units.js';

/**
 * The long-format case table study coordinators exchange: one row per reader (or model) and
 * case, with columns reader, case, modality, score, truth and optionally call. Scores are
 * 0..1 or 0..100 (a reader's confidence); truth and call are 0/1 (1 = ASD; "ASD"/"non-ASD",
 * yes/no and true/false are also read). Column order is free and names are case-insensitive.
 *
 * iMRMC's own layout (doIMRMC: readerID, caseID, modalityID, score, and one row per case
 * with readerID "truth" or "-1" whose score is the truth) is read too, and written by
 * `formatImrmcCsv`. Errors name the line and the column.
 */
export interface LongFormatRow {
  reader: string;
  caseId: string;
  modality: string;
  score: number;
  truth: 0 | 1;
  call?: 0 | 1;
}

const aliases: Record<string, string> = { readerid: 'reader', caseid: 'case', modalityid: 'modality' };
const truthReaders = new Set(['truth', '-1']);

/**
 * Splits one CSV line, honouring double-quoted fields with "" escapes. Whitespace around a
 * field is dropped; inside quotes it is kept.
 */
function splitLine(line: string, lineNo: number): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const finish = () => out.push(wasQuoted ? field : field.trim());
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === ',') {
      finish();
      field = '';
      wasQuoted = false;
    } else if (ch === '"' && !wasQuoted && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (wasQuoted) {
      if (ch.trim() !== '') throw new AppError('STATS_INVALID', `line ${lineNo} has text after a closing quote in field ${out.length + 1}`);
    } else field += ch;
  }
  if (quoted) throw new AppError('STATS_INVALID', `line ${lineNo} has an unclosed quote`);
  finish();
  return out;
}

function binary(value: string, column: string, lineNo: number): 0 | 1 {
  const v = value.toLowerCase();
  if (v === '1' || v === 'asd' || v === 'true' || v === 'yes') return 1;
  if (v === '0' || v === 'non-asd' || v === 'false' || v === 'no') return 0;
  throw new AppError('STATS_INVALID', `line ${lineNo}, column "${column}": "${value}" is not 0 or 1`);
}

function score(value: string, lineNo: number): number {
  const x = value === '' ? NaN : Number(value);
  if (!Number.isFinite(x)) throw new AppError('STATS_INVALID', `line ${lineNo}, column "score": "${value}" is not a number`);
  if (x < 0 || x > 100) throw new AppError('STATS_INVALID', `line ${lineNo}, column "score": ${value} is outside 0..1 and 0..100`);
  return x;
}

export function parseLongFormatCsv(text: string): LongFormatRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new AppError('STATS_INVALID', 'the file is empty');
  const header = splitLine(lines[headerIndex]!, headerIndex + 1).map((h) => {
    const name = h.toLowerCase();
    return aliases[name] ?? name;
  });
  const column = (name: string) => header.indexOf(name);
  for (const name of ['reader', 'case', 'modality', 'score']) {
    if (column(name) < 0) throw new AppError('STATS_INVALID', `line ${headerIndex + 1}: the header has no "${name}" column (expected reader, case, modality, score, truth and optionally call)`);
  }
  const truthColumn = column('truth');
  const callColumn = column('call');
  const parsed: Array<{ row: Omit<LongFormatRow, 'truth'> & { truth?: 0 | 1 }; lineNo: number }> = [];
  const truthRows = new Map<string, { truth: 0 | 1; lineNo: number }>();
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const fields = splitLine(line, lineNo);
    if (fields.length !== header.length) throw new AppError('STATS_INVALID', `line ${lineNo} has ${fields.length} fields but the header has ${header.length}`);
    const get = (name: string) => fields[column(name)]!;
    const reader = get('reader');
    const caseId = get('case');
    if (!reader) throw new AppError('STATS_INVALID', `line ${lineNo}, column "reader" is empty`);
    if (!caseId) throw new AppError('STATS_INVALID', `line ${lineNo}, column "case" is empty`);
    if (truthColumn < 0 && truthReaders.has(reader.toLowerCase())) {
      // iMRMC truth row: the score column holds the truth
      const known = truthRows.get(caseId);
      if (known) throw new AppError('STATS_INVALID', `line ${lineNo} repeats the truth of case ${caseId} from line ${known.lineNo}`);
      truthRows.set(caseId, { truth: binary(get('score'), 'score', lineNo), lineNo });
      continue;
    }
    const row: Omit<LongFormatRow, 'truth'> & { truth?: 0 | 1 } = { reader, caseId, modality: get('modality') || 'default', score: score(get('score'), lineNo) };
    if (truthColumn >= 0) row.truth = binary(fields[truthColumn]!, 'truth', lineNo);
    if (callColumn >= 0 && fields[callColumn] !== '') row.call = binary(fields[callColumn]!, 'call', lineNo);
    const key = `${row.reader}\u0000${row.modality}\u0000${row.caseId}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new AppError('STATS_INVALID', `line ${lineNo} repeats reader ${reader}, case ${caseId} from line ${earlier}`);
    seen.set(key, lineNo);
    parsed.push({ row, lineNo });
  }
  if (parsed.length === 0) throw new AppError('STATS_INVALID', 'the file has a header but no rows of scores');
  return parsed.map(({ row, lineNo }) => {
    if (row.truth !== undefined) return row as LongFormatRow;
    const truth = truthRows.get(row.caseId);
    if (!truth) throw new AppError('STATS_INVALID', `line ${lineNo}: case ${row.caseId} has no truth (add a "truth" column, or an iMRMC row with reader "truth" for it)`);
    return { ...row, truth: truth.truth };
  });
}

function quote(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Scores are written with at most 6 decimals and no float artefacts (a reader's 0.5 - 0.35 is
 * 0.15, not 0.15000000000000002). Rounding is monotone, so it can only tie scores closer than
 * 1e-6, never reorder them.
 */
export const scoreDecimals = 6;
const scoreText = (score: number) => formatDecimal(score, scoreDecimals);

/** Writes rows with the columns reader, case, modality, score, truth (and call when any row has one). */
export function formatLongFormatCsv(rows: readonly LongFormatRow[]): string {
  const withCall = rows.some((r) => r.call !== undefined);
  const header = ['reader', 'case', 'modality', 'score', 'truth', ...(withCall ? ['call'] : [])];
  const lines = rows.map((r) => [r.reader, r.caseId, r.modality, scoreText(r.score), r.truth, ...(withCall ? [r.call ?? ''] : [])].map(quote).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/**
 * Writes iMRMC's doIMRMC layout: readerID, caseID, modalityID, score, with one "truth" row per
 * case first. Calls are not part of that layout and are left out.
 */
export function formatImrmcCsv(rows: readonly LongFormatRow[]): string {
  const truth = new Map<string, 0 | 1>();
  for (const r of rows) {
    const known = truth.get(r.caseId);
    if (known !== undefined && known !== r.truth) throw new AppError('STATS_INVALID', `case ${r.caseId} has truth ${known} in one row and ${r.truth} in another`);
    truth.set(r.caseId, r.truth);
  }
  const lines = [
    'readerID,caseID,modalityID,score',
    ...[...truth].map(([caseId, t]) => ['truth', caseId, 'truth', t].map(quote).join(',')),
    ...rows.map((r) => [r.reader, r.caseId, r.modality, scoreText(r.score)].map(quote).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
