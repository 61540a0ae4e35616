import { afterEach, describe, expect, it } from 'vitest';
import { analyseRow } from '../../../../src-renderer/lib/state/analysisRows.js';
import type { AnalysisRun } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => setLanguage('en'));

type Step = AnalysisRun['steps'][number];
const step = (kind: Step['kind'], status: Step['status'], message = '', progress = 0): Step => ({ kind, status, jobId: status === 'waiting' || status === 'skipped' ? null : 1, progress, message });
const run = (steps: Step[], finished = false): AnalysisRun => ({ id: 5, videoId: 1, createdAt: 't', steps, finished });
const line = (r: AnalysisRun | null, needs: AnalysisRun['steps'][number]['kind'][] = ['stage1', 'measure', 'stage2']) => {
  const row = analyseRow(1, 'walk.mp4', needs, r);
  return [row.step, row.message, row.runId];
};

describe('a video’s line in "Analyse all", in words', () => {
  it('says what each step is doing', () => {
    expect(line(run([step('stage1', 'queued'), step('measure', 'waiting'), step('stage2', 'waiting')]))).toEqual([
      'working',
      'Person-centred clip: queued. Posture measures: waits for the person-centred clip. Classification: waits for the person-centred clip.',
      5,
    ]);
    expect(line(run([step('stage1', 'done'), step('measure', 'running', '', 0.4), step('stage2', 'queued')]))).toEqual(['working', 'Person-centred clip: done. Posture measures: running, 40%. Classification: queued.', 5]);
    expect(line(run([step('stage1', 'done'), step('measure', 'done'), step('stage2', 'done')], true))).toEqual(['done', 'Person-centred clip: done. Posture measures: done. Classification: done.', 5]);
    expect(line(run([step('stage2', 'queued')]), ['stage2'])).toEqual(['working', 'Classification: queued.', 5]);
  });

  it('says what went wrong, and what did not run', () => {
    expect(line(run([step('stage1', 'failed', 'No person was found in walk.mp4.'), step('measure', 'skipped', 'Not run: stage 1 did not finish.'), step('stage2', 'skipped', 'Not run: stage 1 did not finish.')], true))).toEqual([
      'failed',
      'Person-centred clip: failed: No person was found in walk.mp4. Posture measures: not run: stage 1 did not finish. Classification: not run: stage 1 did not finish.',
      5,
    ]);
    expect(line(run([step('stage1', 'cancelled'), step('stage2', 'skipped', 'x')], true))[0]).toBe('failed');
    expect(line(run([step('stage1', 'done'), step('measure', 'done'), step('stage2', 'skipped', 'No classification model is installed.')], true))).toEqual([
      'done',
      'Person-centred clip: done. Posture measures: done. Classification: not run: No classification model is installed.',
      5,
    ]);
  });

  it('an up-to-date video has no run', () => {
    expect(line(null, [])).toEqual(['up to date', 'Already analysed: not run again (Re-run all runs it anyway).', null]);
  });
});

describe('a video’s line in "Analyse all", in Japanese', () => {
  it('names each step and what it is doing in Japanese, with no raw key', () => {
    setLanguage('ja');
    expect(line(run([step('stage1', 'done'), step('measure', 'running', '', 0.4), step('stage2', 'waiting')]))).toEqual([
      'working',
      '人物中心クリップ：完了。 姿勢の計測：実行中 40%。 分類：人物中心クリップの完成待ち。',
      5,
    ]);
    expect(line(run([step('stage1', 'failed', '動画に人物が見つかりませんでした。'), step('measure', 'skipped', 'Not run: stage 1 did not finish.'), step('stage2', 'cancelled')], true))).toEqual([
      'failed',
      '人物中心クリップ：失敗：動画に人物が見つかりませんでした。 姿勢の計測：未実行：stage 1 did not finish. 分類：キャンセル済み。',
      5,
    ]);
    expect(line(run([step('stage2', 'queued')]), ['stage2'])).toEqual(['working', '分類：待機中。', 5]);
    expect(line(null, [])).toEqual(['up to date', '解析済みのため再実行していません（全件の再解析を選ぶと再実行します）。', null]);
    expect(line(null, ['stage2'])).toEqual(['up to date', '実行待ちに追加されたものはありません。', null]);
  });
});
