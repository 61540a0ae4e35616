import { describe, expect, it } from 'vitest';
import { englishOf, phrase, phraseFromJson, phraseSchema } from '../../../src-main/contract/phrase.js';
import { translatorFor } from '../../../src-main/contract/i18n/translator.js';

/**
 * A job's progress is a phrase now; its English is the job's `message`, which logs, the CLI and
 * the English screens show, so it must stay the sentence the code wrote before, word for word.
 */
describe('job progress phrases', () => {
  const before: Array<[ReturnType<typeof phrase>, string]> = [
    [phrase('jobs.progress.starting'), 'Starting'],
    [phrase('jobs.progress.done'), 'Done'],
    [phrase('jobs.progress.cancelled'), 'Cancelled'],
    [phrase('jobs.progress.failed'), 'Failed'],
    [phrase('jobs.progress.requeuedShutdown'), 'Re-queued: interrupted by shutdown'],
    [phrase('jobs.progress.requeuedInterrupted'), 'Re-queued after an interruption'],
    [phrase('jobs.progress.requeuedRestored'), 'Re-queued: restored from a backup'],
    [phrase('jobs.progress.cancelledRestored'), 'Cancelled: restored from a backup (this backup belonged to the data folder it was taken from)'],
    [phrase('jobs.progress.readingTimestamps'), 'Reading frame timestamps'],
    [phrase('jobs.progress.makingThumbnail'), 'Making the thumbnail'],
    [phrase('jobs.progress.checkingBundle'), 'Checking the model bundle'],
    [phrase('jobs.progress.classifyingClips'), 'Decoding and classifying clips'],
    [phrase('jobs.progress.classified', { done: 3, total: 12 }), 'Classified 3 of 12 clips'],
    [phrase('jobs.progress.findingPeople', { done: 120, total: 300 }), 'Finding people: frame 120 of 300'],
    [phrase('jobs.progress.writingClip'), 'Writing the person-centred clip'],
    [phrase('jobs.progress.writingClipFrame', { done: 45, total: 90 }), 'Writing the person-centred clip: frame 45 of 90'],
    [phrase('jobs.progress.findingKeypoints'), 'Finding the patient’s keypoints on every frame'],
    [phrase('jobs.progress.keypoints', { done: 0, total: 1800 }), 'Keypoints: frame 0 of 1800'],
    [phrase('jobs.progress.measuring'), 'Measuring posture and gait'],
    [phrase('jobs.progress.copyingDatabase'), 'Copying the database'],
    [phrase('jobs.progress.copiedVaultFiles', { done: 1, total: 2 }), 'Copied 1 of 2 vault files'],
    [phrase('jobs.progress.train.outerFit', { repeat: 2, fold: 3, c: 0.1 }), 'repeat 2, fold 3: fitted with C = 0.1'],
    [phrase('jobs.progress.train.fusionFit', { fold: 4, c: 1 }), 'fusion, fold 4: measurement model fitted with C = 1'],
    [phrase('jobs.progress.train.innerOuter', { repeat: 1, fold: 5, inner: 2, of: 3, c: 0.01 }), 'repeat 1, fold 5: inner fold 2 of 3, C = 0.01'],
    [phrase('jobs.progress.train.innerFusion', { fold: 2, inner: 1, of: 3, c: 10 }), 'fusion, fold 2: inner fold 1 of 3, C = 10'],
    [phrase('jobs.progress.train.innerFusionAll', { inner: 3, of: 3, c: 0.1 }), 'fusion, all patients: inner fold 3 of 3, C = 0.1'],
    [phrase('jobs.progress.train.innerAll', { inner: 1, of: 4, c: 100 }), 'all patients: inner fold 1 of 4, C = 100'],
    [phrase('jobs.progress.train.finalFit', { patients: 26, c: 0.1 }), 'final model fitted on all 26 patients with C = 0.1'],
  ];

  it('read in English exactly as the messages did before phrases', () => {
    expect(before.map(([p]) => englishOf(p))).toEqual(before.map(([, english]) => english));
  });

  it('read in Japanese with the values filled in, and never as a key', () => {
    const ja = translatorFor('ja');
    expect(ja.t('jobs.progress.findingPeople', { done: 120, total: 300 })).toBe('人物を検出しています：300 フレーム中 120 フレーム目');
    expect(ja.t('jobs.progress.classified', { done: 3, total: 12 })).toBe('12 クリップ中 3 クリップを分類しました');
    for (const [p] of before) {
      expect(ja.has(p.key), p.key).toBe(true);
      expect(ja.t(p.key, p.vars)).not.toMatch(/jobs\.|\{\{/);
    }
  });
});

describe('installation warning phrases', () => {
  it('read in English exactly as the warnings did before phrases', () => {
    const binary = { name: 'ffprobe', path: '/usr/bin/ffprobe', source: 'system PATH', minimum: '5.1' };
    expect(englishOf(phrase('settings.warnings.ffmpegVersionUnreadable', binary))).toBe(
      'The ffprobe in use, /usr/bin/ffprobe (system PATH), has a version WalkScope cannot read, so it may be older than 5.1, the minimum WalkScope asks for: it reads every imported clip, so install a current ffprobe (the system package, e.g. apt install ffmpeg) or set a newer one in Settings.',
    );
    const explicit = { source: 'WALKSCOPE_FFMPEG', path: '/opt/ff/ffmpeg', newerPath: '/usr/bin/ffmpeg', newerSource: 'system PATH', newerVersion: '6.1.1' };
    expect(englishOf(phrase('settings.warnings.explicitOlderUnknown', explicit))).toBe(
      'The ffmpeg set explicitly (WALKSCOPE_FFMPEG), /opt/ff/ffmpeg (version unknown), is older than /usr/bin/ffmpeg (system PATH, 6.1.1); WalkScope uses the one set explicitly. Clear the setting to use the newer one.',
    );
    expect(englishOf(phrase('settings.warnings.dataFolderReadable', { folder: '/data', count: 1, examples: '. 0755', command: 'walkscope doctor --fix-permissions' }))).toBe(
      'The data folder /data can be read by other accounts on this computer (1 entry, e.g. . 0755); run walkscope doctor --fix-permissions to make it private (folders 0700, files 0600).',
    );
  });
});

describe('a stored phrase', () => {
  it('comes back from its JSON, and anything else as no phrase', () => {
    const p = phrase('jobs.progress.keypoints', { done: 7, total: 90 });
    expect(phraseFromJson(JSON.stringify(p))).toEqual({ key: 'jobs.progress.keypoints', vars: { done: 7, total: 90 } });
    expect(phraseFromJson('{"key":"jobs.progress.done"}')).toEqual({ key: 'jobs.progress.done' });
    expect(phraseFromJson(null)).toBeNull();
    expect(phraseFromJson('not json')).toBeNull();
    expect(phraseFromJson('{"key":""}')).toBeNull();
    expect(phraseFromJson('{"key":"jobs.progress.done","vars":{"done":[1]}}')).toBeNull();
  });

  it('is a key with string and number values only', () => {
    expect(phraseSchema.safeParse({ key: 'jobs.progress.done', vars: { name: 'walk.mp4', n: 2 } }).success).toBe(true);
    expect(phraseSchema.safeParse({ key: 'jobs.progress.done', extra: 1 }).success).toBe(false);
    expect(phrase('jobs.progress.done')).toEqual({ key: 'jobs.progress.done' });
  });
});
