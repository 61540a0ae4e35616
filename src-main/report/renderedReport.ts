/** What every report renderer gives back, and how its file is named. */

export type ReportFormat = 'html' | 'pdf' | 'csv' | 'json';

export interface RenderedReport {
  fileName: string;
  mimeType: string;
  content: Buffer;
}

/** A name as part of a file name: lower case, runs of anything else as one dash, at most 60 characters. */
export const slug = (name: string, fallback: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || fallback;
