import { AppError } from '../../contract/errors.js';

/**
 * The long-format case table study coordinators exchange (the layout iMRMC reads): one row per
 * reader (or model) and case: reader, case, modality, score, truth, and optionally call.
 * Scores may be 0..1 or 0..100 (a reader's confidence); truth and call are 0/1 (1 = ASD).
 */
export interface LongFormatRow {
  reader: string;
  caseId: string;
  modality: string;
  score: number;
  truth: 0 | 1;
  call?: 0 | 1;
}

const required = ['reader', 'case', 'modality', 'score', 'truth'] as const;

/** Splits one CSV line, honouring double-quoted fields with "" escapes. */
function splitLine(line: string, lineNo: number): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError('STATS_INVALID', `line ${lineNo} has an unclosed quote`);
  out.push(field);
  return out.map((f) => f.trim());
}

function binary(value: string, column: string, lineNo: number): 0 | 1 {
  const v = value.toLowerCase();
  if (v === '1' || v === 'asd' || v === 'true' || v === 'yes') return 1;
  if (v === '0' || v === 'non-asd' || v === 'false' || v === 'no') return 0;
  throw new AppError('STATS_INVALID', `line ${lineNo}, column "${column}": "${value}" is not 0 or 1`);
}

export function parseLongFormatCsv(text: string): LongFormatRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) throw new AppError('STATS_INVALID', 'the file is empty');
  const header = splitLine(lines[headerLine]!, headerLine + 1).map((h) => h.toLowerCase());
  const column = (name: string) => header.indexOf(name === 'case' && !header.includes('case') ? 'caseid' : name);
  for (const name of required) {
    if (column(name) < 0) throw new AppError('STATS_INVALID', `the header has no "${name}" column (expected reader, case, modality, score, truth and optionally call)`);
  }
  const callColumn = header.indexOf('call');
  const rows: LongFormatRow[] = [];
  const seen = new Map<string, number>();
  for (let i = headerLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const fields = splitLine(line, lineNo);
    const get = (name: string) => fields[column(name)] ?? '';
    const reader = get('reader');
    const caseId = get('case');
    if (!reader) throw new AppError('STATS_INVALID', `line ${lineNo}, column "reader" is empty`);
    if (!caseId) throw new AppError('STATS_INVALID', `line ${lineNo}, column "case" is empty`);
    const score = Number(get('score'));
    if (get('score') === '' || !Number.isFinite(score)) throw new AppError('STATS_INVALID', `line ${lineNo}, column "score": "${get('score')}" is not a number`);
    const row: LongFormatRow = { reader, caseId, modality: get('modality') || 'default', score, truth: binary(get('truth'), 'truth', lineNo) };
    if (callColumn >= 0 && (fields[callColumn] ?? '') !== '') row.call = binary(fields[callColumn]!, 'call', lineNo);
    const key = `${row.reader}\u0000${row.modality}\u0000${row.caseId}`;
    if (seen.has(key)) throw new AppError('STATS_INVALID', `line ${lineNo} repeats reader ${reader}, case ${caseId} from line ${seen.get(key)}`);
    seen.set(key, lineNo);
    rows.push(row);
  }
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'the file has a header but no rows');
  return rows;
}

function quote(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatLongFormatCsv(rows: readonly LongFormatRow[]): string {
  const withCall = rows.some((r) => r.call !== undefined);
  const header = ['reader', 'case', 'modality', 'score', 'truth', ...(withCall ? ['call'] : [])];
  const lines = rows.map((r) => [r.reader, r.caseId, r.modality, r.score, r.truth, ...(withCall ? [r.call ?? ''] : [])].map(quote).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
