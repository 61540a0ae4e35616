export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What to do with a Range header (RFC 9110, 14.1.2 and 14.2), for a file of `size` bytes:
 * - a byte range to send (206);
 * - `'unsatisfiable'` (416) for one well-formed byte range that lies wholly beyond the end,
 *   or a suffix of 0 bytes;
 * - undefined (200, the whole body) when there is no header, or one the server ignores: another
 *   unit (`items=`), several ranges (no multipart/byteranges here), or a malformed range
 *   (`bytes=5-2`, `bytes=-`, text).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  // range units are case-insensitive; anything else, a list included, is ignored
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return undefined;
  const [, startText = '', endText = ''] = match;
  if (startText === '' && endText === '') return undefined;
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(startText);
  if (endText !== '' && Number(endText) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: endText === '' ? size - 1 : Math.min(Number(endText), size - 1) };
}
