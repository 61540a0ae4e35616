import { afterEach, describe, expect, it } from 'vitest';
import { measureLabel, measureValue, pointMetricColumns, statusWords } from '../../../src-renderer/lib/screening.js';
import { setLanguage } from '../../../src-renderer/lib/i18n.svelte.js';

/** The words the screening-model screens share follow the language. */
afterEach(() => setLanguage('en'));

describe('screening words', () => {
  it('are English by default', () => {
    expect([statusWords({ status: 'trained', active: false }), statusWords({ status: 'accepted', active: true }), statusWords({ status: 'accepted', active: false }), statusWords({ status: 'retired', active: false })]).toEqual([
      'trained',
      'accepted (active)',
      'accepted',
      'retired',
    ]);
    expect([measureValue('trunkLean', 12.345), measureValue('shoulderHipOffset', 0.1234), measureLabel('hipRange')]).toEqual(['12.3 deg', '0.12 trunk lengths', 'Hip range of motion']);
    expect(pointMetricColumns.map((c) => c.label)).toEqual(['Balanced accuracy', 'Accuracy', 'Sensitivity', 'Specificity', 'F1', 'AUROC', 'Brier']);
  });

  it('are Japanese in Japanese, with no raw key', () => {
    setLanguage('ja');
    const words = [statusWords({ status: 'trained', active: false }), statusWords({ status: 'accepted', active: true }), statusWords({ status: 'accepted', active: false }), statusWords({ status: 'retired', active: false })];
    expect(words).toEqual(['学習済み', '承認済み（使用中）', '承認済み', '廃止']);
    expect([measureValue('trunkLean', 12.345), measureValue('shoulderHipOffset', 0.1234), measureLabel('hipRange')]).toEqual(['12.3°', '0.12 体幹長', '股関節可動域']);
    const labels = pointMetricColumns.map((c) => c.label);
    expect(labels).toEqual(['バランス精度', '正解率', '感度', '特異度', 'F1', 'AUROC', 'Brier スコア']);
    expect([...words, ...labels].filter((w) => /^(components|measures)\./.test(w))).toEqual([]);
  });
});
