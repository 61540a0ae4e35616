import { describe, expect, it } from 'vitest';
import { formatBytes, formatDecimal, formatDuration, parseByteSize } from '../../../src-main/domain/units.js';

describe('formatBytes', () => {
  it('uses binary multiples with one decimal above bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0 TB');
    expect(formatBytes(2048 * 1024 ** 4)).toBe('2048.0 TB');
  });
});

describe('formatDuration', () => {
  it('shows seconds under a minute and minutes with padded seconds above', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3600)).toBe('60 min 00 s');
  });
  it('shows the caller\'s stand-in for an unknown length', () => {
    expect(formatDuration(Number.NaN)).toBe('');
    expect(formatDuration(null, '—')).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY, '?')).toBe('?');
  });
});

describe('formatDecimal', () => {
  it('drops float artefacts and trailing zeros, keeps up to the given decimals', () => {
    expect(0.5 - 0.35).toBe(0.15000000000000002);
    expect(formatDecimal(0.5 - 0.35, 6)).toBe('0.15');
    expect(formatDecimal(0.1 + 0.2, 4)).toBe('0.3');
    expect(formatDecimal(0.123456789, 6)).toBe('0.123457');
    expect(formatDecimal(3, 6)).toBe('3');
    expect(formatDecimal(87, 6)).toBe('87');
    expect(formatDecimal(-0.0000001, 6)).toBe('0');
    expect(formatDecimal(1e-7, 6)).toBe('0');
    expect(formatDecimal(2.5e-5, 6)).toBe('0.000025');
  });
  it('writes the missing text for null, undefined and non-finite values', () => {
    expect(formatDecimal(null, 4)).toBe('');
    expect(formatDecimal(undefined, 4, '—')).toBe('—');
    expect(formatDecimal(Number.NaN, 4)).toBe('');
    expect(formatDecimal(Number.POSITIVE_INFINITY, 4)).toBe('');
  });
});

describe('parseByteSize', () => {
  it('reads bytes and binary multiples, as formatBytes prints them', () => {
    expect(parseByteSize('1000000')).toBe(1_000_000);
    expect(parseByteSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('512 MB')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize(' 64k ')).toBe(65_536);
    expect(parseByteSize('1 TB')).toBe(1024 ** 4);
  });

  it('gives undefined for what is not a size', () => {
    for (const text of ['', 'G', '-1G', '2 GB extra', '2Q', '1e9', '9'.repeat(30)]) expect(parseByteSize(text), text).toBeUndefined();
  });
});
