import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdftoppm', ['-v']).status === 0;
const out = resolve(import.meta.dirname, '../../output/patient-summary');
const hasJapaneseFont = existsSync(resolve(import.meta.dirname, '../../../resources/fonts/ipag.ttf')) || (console.warn('[walkscope tests] resources/fonts/ipag.ttf missing (Debian fonts-ipafont-gothic, then node tools/bundleFonts.js): the Japanese summary is not checked.'), false);

/**
 * The one-page patient summary of a measured patient (the Sports2D walker imported as a test
 * patient: her measures are not clinical values), and of one with nothing measured, read back
 * as text and rendered to PNG (test/output/patient-summary/) for a person to look at.
 */
describe.runIf(requireTestdata() && hasPoppler)('the patient summary PDF', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let video: Video;

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    ({ app, dispose } = await openTempApp());
    ok(await app.call('patients.create', { code: 'PS-01', diagnosis: 'ASD', sex: 'female', birthYear: 1958 }));
    ok(await app.call('patients.create', { code: 'PS-02', diagnosis: 'LCS' }));
    video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'PS-01', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
    ok(await app.call('analyses.run', { videoIds: [video.id] }));
    await app.runner.idle();
  }, 300_000);
  afterAll(async () => dispose());

  const render = (name: string, base64: string) => {
    const pdf = join(out, `${name}.pdf`);
    writeFileSync(pdf, Buffer.from(base64, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '80', pdf, join(out, name)]);
    return { pages: Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]), text: execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }) };
  };

  it('one page: the key frame with its lines, the five measures for the video and the patient, gait, and plots over time', async () => {
    const file = ok<{ fileName: string; mimeType: string; contentBase64: string }>(await app.call('measurements.summaryPdf', { code: 'PS-01' }));
    expect(file).toMatchObject({ fileName: 'walkscope-patient-PS-01-summary.pdf', mimeType: 'application/pdf' });
    const { pages, text } = render('measured', file.contentBase64);
    expect(pages).toBe(1);
    for (const words of ['Patient PS-01', 'female', 'born 1958', 'Trunk lean', 'Head-forward posture', 'Shoulder-hip offset', 'Maximum hip flexion', 'Hip range of motion', 'Cadence', 'steps/min', 'Over time:', 'Patient (mean of videos)', 'movenet-lightning']) {
      expect(text, words).toContain(words);
    }
    expect(text).toMatch(/Frame \d+ \([\d.]+ s\): trunk blue/);
    expect(text).toContain('Faces blurred');
    // the measures in the table are the stored ones
    const measured = ok<{ summary: { measures: { trunkLean?: { mean: number } } } }>(await app.call('measurements.get', { videoId: video.id }));
    expect(text).toContain(`${measured.summary.measures.trunkLean!.mean.toFixed(1)}°`);
  });

  it.runIf(hasJapaneseFont)('in Japanese when the language setting says so, drawn with the bundled Japanese font', async () => {
    ok(await app.call('settings.update', { changes: { language: 'ja' } }));
    try {
      const file = ok<{ contentBase64: string }>(await app.call('measurements.summaryPdf', { code: 'PS-01' }));
      const { pages, text } = render('measured-ja', file.contentBase64);
      expect(pages).toBe(1);
      for (const words of ['患者 PS-01', '女性', '1958年生まれ', '体幹前傾角', '頭部前方偏位', '肩–股関節前後差', '最大股関節屈曲角', '股関節可動域', 'ケイデンス', '歩/分', '時間経過：', '患者（動画の平均）']) {
        expect(text, words).toContain(words);
      }
      const fonts = execFileSync('pdffonts', [join(out, 'measured-ja.pdf')], { encoding: 'utf8' });
      expect(fonts).toContain('IPAGothic');
      expect(fonts).not.toContain('Helvetica');
    } finally {
      ok(await app.call('settings.update', { changes: { language: 'en' } }));
    }
  });

  it('the patient page leads with the same key frame: de-identified, with the lines in original pixels and the measures on that frame', async () => {
    type Figure = { videoId: number; videoName: string; figure: { frame: number; seconds: number; width: number; height: number; stillDataUrl: string; region: { x: number; y: number; width: number; height: number }; vertical: unknown; segments: Array<{ part: string }>; values: Record<string, number> } | null };
    const lead = ok<Figure>(await app.call('measurements.keyFrame', { code: 'PS-01' }));
    expect(lead.videoId).toBe(video.id);
    expect(lead.videoName).toBe(video.originalName);
    const figure = lead.figure!;
    expect(figure.stillDataUrl.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    expect(figure.seconds).toBeCloseTo(figure.frame / 30, 9);
    expect(figure.segments.map((s) => s.part)).toContain('trunk');
    expect(figure.vertical).not.toBeNull();
    expect(figure.region.width / figure.region.height).toBeCloseTo(3 / 4, 9);
    expect(typeof figure.values.trunkLean).toBe('number');
    // the PDF shows the same frame (1-based there)
    const file = ok<{ contentBase64: string }>(await app.call('measurements.summaryPdf', { code: 'PS-01' }));
    const { text } = render('measured-again', file.contentBase64);
    expect(text).toContain(`Frame ${figure.frame + 1} (`);
    // a patient with nothing measured has no key frame
    expect(ok(await app.call('measurements.keyFrame', { code: 'PS-02' }))).toBeNull();
  });

  it('a patient with no measured video: says so, no numbers made up', async () => {
    const file = ok<{ contentBase64: string }>(await app.call('measurements.summaryPdf', { code: 'PS-02' }));
    const { pages, text } = render('unmeasured', file.contentBase64);
    expect(pages).toBe(1);
    expect(text).toContain('No video of this patient has been measured yet');
    expect(text).not.toMatch(/\d+\.\d°/);
  });
});
