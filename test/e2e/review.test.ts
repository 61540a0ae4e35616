import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';
import { chromiumAvailable, screenshot, startBrowserSession, type BrowserSession, type ServeSession } from './helpers/serveHarness.js';

const ready = requireTestdata() && (chromiumAvailable || (console.warn('[walkscope tests] /usr/bin/chromium not found: end-to-end tests skipped.'), false));

const frame = 1 / 30;
const fixtureBundle = resolve(import.meta.dirname, '../fixtures/models/slow_r50-tiny');

/** The stage 1 mapping, written again here so the test checks the page rather than reusing its code. */
function clipTimeOf(segments: [number, number][], originalSec: number): number | null {
  let clipStart = 0;
  for (const [start, end] of segments) {
    const p = originalSec * 30;
    if (p >= start - 1e-6 && p < end + 1) return (clipStart + p - start) / 30;
    clipStart += end - start + 1;
  }
  return null;
}

/** Prints (never asserts) the follower's distance from the leader's moment over 60 animation frames of playback. */
async function logDrift(page: Page, segments: [number, number][], label: string): Promise<void> {
  const samples = await page.evaluate(
    () =>
      new Promise<[number, number][]>((done) => {
        const o = document.querySelector('video[data-role="original"]') as HTMLVideoElement;
        const c = document.querySelector('video[data-role="clip"]') as HTMLVideoElement;
        const out: [number, number][] = [];
        let frames = 0;
        const take = () => {
          if (!o.paused && !c.paused) out.push([o.currentTime, c.currentTime]);
          if (++frames < 60 && !o.ended) requestAnimationFrame(take);
          else done(out);
        };
        requestAnimationFrame(take);
      }),
  );
  const drifts = samples
    .flatMap(([o, c]) => {
      const expected = clipTimeOf(segments, o);
      return expected === null ? [] : [Math.abs(c - expected)];
    })
    .sort((a, b) => a - b);
  if (drifts.length > 0) console.log(`[review e2e] drift at ${label} over ${drifts.length} animation frames: median ${(drifts[drifts.length >> 1]! * 1000).toFixed(1)} ms, max ${(drifts.at(-1)! * 1000).toFixed(1)} ms`);
}

interface PlayerTimes {
  original: number;
  clip: number;
  originalPaused: boolean;
  clipPaused: boolean;
  seeking: boolean;
}

async function times(page: Page): Promise<PlayerTimes> {
  return page.evaluate(() => {
    const o = document.querySelector('video[data-role="original"]') as HTMLVideoElement;
    const c = document.querySelector('video[data-role="clip"]') as HTMLVideoElement;
    return { original: o.currentTime, clip: c.currentTime, originalPaused: o.paused, clipPaused: c.paused, seeking: o.seeking || c.seeking };
  });
}

/** Waits until neither player is seeking, then reads both clocks (up to a minute: under load, a seek of both players waits for the range requests behind running jobs). */
async function settled(page: Page): Promise<PlayerTimes> {
  try {
    await page.waitForFunction(() => [...document.querySelectorAll('video')].every((v) => !v.seeking && v.readyState >= 2), undefined, { timeout: 60_000 });
  } catch (error) {
    const state = await page.evaluate(() => [...document.querySelectorAll('video')].map((v) => ({ role: v.dataset.role, t: v.currentTime, seeking: v.seeking, readyState: v.readyState, paused: v.paused, error: v.error?.message ?? null })));
    throw new Error(`the players did not settle: ${JSON.stringify(state)}`, { cause: error });
  }
  return times(page);
}

/** From the empty patient list, through the UI: a new patient, one imported clip, and stage 1 run from its card (returned). */
async function patientThroughStage1(page: Page, serve: ServeSession, code: string, clip: string, diagnosis?: string): Promise<Locator> {
  await page.goto(serve.url);
  await page.getByText('No patients yet.').waitFor();
  await page.keyboard.press('n');
  await page.getByLabel('Patient code').fill(code);
  if (diagnosis) await page.getByLabel('Diagnosis label').selectOption(diagnosis);
  await page.getByRole('button', { name: 'Create patient' }).click();
  await page.waitForURL((url) => url.hash === `#/patients/${code}`);
  await page.getByLabel('Choose video files to import').setInputFiles([testVideo(clip)]);
  const card = page.locator(`article[aria-label="Video ${clip}"]`);
  await card.locator('img').waitFor({ timeout: 120_000 });
  await card.getByRole('button', { name: 'Person-centred clip' }).click();
  await card.getByText(/\d+ segments? of 1 s/).waitFor({ timeout: 480_000 });
  return card;
}

/** Pixels drawn on the overlay canvas (alpha > 0). */
async function overlayInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas.overlay') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

/**
 * The whole path a clinic walks, in one browser session: patient, import, stage 1 and stage 2
 * (the tiny random-weight fixture bundle), review on two synchronised players, a doctor's
 * assessment. Reader studies have their own end-to-end test (readerStudy.test.ts).
 * The clips are real walking videos; the diagnosis labels are made up for the test.
 */
describe.runIf(ready)('the whole path in Debian Chromium: patient, stages 1 and 2, review on two synchronised players, assessment', () => {
  let session: BrowserSession;
  let serve: ServeSession;
  let page: Page;
  let segments: [number, number][] = [];

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ serve, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('creates a patient, imports the walker clip and makes the person-centred clip from the UI', async () => {
    const card = await patientThroughStage1(page, serve, 'WS-0100', clips.sports2dH264, 'ASD');
    await screenshot(page, 'review-01-stage1-done');
    await card.getByRole('link', { name: `Open review of ${clips.sports2dH264}` }).click();
    await page.waitForURL(/#\/videos\/\d+\/review$/);
    await page.locator('video[data-role="clip"]').waitFor();
    await settled(page);
    const attr = await page.locator('[data-segments]').getAttribute('data-segments');
    segments = attr!.split(',').map((s) => s.split('-').map(Number) as [number, number]);
    expect(segments.length).toBeGreaterThan(0);
    await screenshot(page, 'review-02-opened');
  });

  it('plays both players, and a pause leaves them on the same frame', async () => {
    await page.getByLabel('Position in the original video').fill(String((segments[0]![0] + 5) / 30));
    await settled(page);
    await page.locator('body').click({ position: { x: 5, y: 780 } });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => [...document.querySelectorAll('video')].every((v) => !v.paused));
    const first = await times(page);
    await page.waitForFunction((t) => (document.querySelector('video[data-role="original"]') as HTMLVideoElement).currentTime > t + 0.5, first.original, { timeout: 30_000 });
    await screenshot(page, 'review-03-playing');
    // measured, not asserted: how far the clip is from the original's moment while both play
    await logDrift(page, segments, '1x');
    await page.keyboard.press('l'); // playing at 1x: L is 2x
    expect(await page.locator('video[data-role="clip"]').evaluate((v) => (v as HTMLVideoElement).playbackRate)).toBeGreaterThan(1.5);
    await logDrift(page, segments, '2x');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => [...document.querySelectorAll('video')].every((v) => v.paused));
    const t = await settled(page);
    expect(t.original).toBeGreaterThan(first.original);
    const expected = clipTimeOf(segments, t.original);
    if (expected !== null) expect(Math.abs(t.clip - expected)).toBeLessThan(frame);
  });

  it('after a seek and after arrow-key steps both players map to within one frame', async () => {
    const [start, end] = segments.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
    const target = Math.round((start + end) / 2) / 30;
    await page.getByLabel('Position in the original video').fill(String(target));
    let t = await settled(page);
    expect(Math.abs(t.original - target)).toBeLessThan(1e-3);
    expect(Math.abs(t.clip - clipTimeOf(segments, t.original)!)).toBeLessThan(frame);

    await page.locator('body').click({ position: { x: 5, y: 780 } }); // focus off the scrubber: keys go to the players either way
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    t = await settled(page);
    expect(Math.round(t.original * 30)).toBe(Math.round(target * 30) + 4);
    expect(Math.abs(t.clip - clipTimeOf(segments, t.original)!)).toBeLessThan(frame);
    expect(await page.getByTestId('clock').textContent()).toMatch(/^\d\d:\d\d\.\d\d\d$/);

    await page.keyboard.press('Shift+ArrowLeft');
    t = await settled(page);
    expect(Math.round(t.original * 30)).toBe(Math.round(target * 30) + 4 - 30);
    const mapped = clipTimeOf(segments, t.original);
    if (mapped === null) await page.getByText('Patient not in view').waitFor();
    else expect(Math.abs(t.clip - mapped)).toBeLessThan(frame);
    await screenshot(page, 'review-04-stepped');
  });

  it('draws the overlays and toggles them', async () => {
    const [start] = segments[0]!;
    await page.getByLabel('Position in the original video').fill(String((start + 10) / 30));
    await settled(page);
    await page.waitForFunction(() => {
      const c = document.querySelector('canvas.overlay') as HTMLCanvasElement | null;
      return c !== null && c.width > 0;
    });
    const all = await overlayInk(page);
    expect(all).toBeGreaterThan(0);
    await page.getByLabel('Boxes and ids of every person').uncheck();
    const noBoxes = await overlayInk(page);
    expect(noBoxes).toBeLessThan(all);
    await page.getByLabel("Patient's keypoints").uncheck();
    await page.getByLabel("Patient's skeleton").uncheck();
    expect(await overlayInk(page)).toBe(0);
    await screenshot(page, 'review-05-overlays-off');
    await page.getByLabel('Boxes and ids of every person').check();
    await page.getByLabel("Patient's keypoints").check();
    await page.getByLabel("Patient's skeleton").check();
    expect(await overlayInk(page)).toBe(all);
  });

  it('loops a range and shows the shortcut list', async () => {
    await page.locator('body').click({ position: { x: 5, y: 780 } });
    await page.keyboard.press('[');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press(']');
    expect(await page.getByTestId('loop').textContent()).toMatch(/^Loop \d\d:\d\d\.\d\d\d–\d\d:\d\d\.\d\d\d$/);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await settled(page);
    await screenshot(page, 'review-06-shortcuts');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
    await page.keyboard.press('\\');
    expect(await page.getByTestId('loop').textContent()).toBe('No loop');
  });

  it('works at 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByLabel('Position in the original video').fill(String((segments[0]![0] + 20) / 30));
    await settled(page);
    await screenshot(page, 'review-07-1080p');
    const box = await page.locator('figure.player.original').boundingBox();
    expect(box!.width).toBeGreaterThan(900);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('gives the panels below the clock in the time of the classified clip once stage 2 has run', async () => {
    const reviewUrl = page.url();
    const zip = join(serve.dataDir, 'slow_r50-tiny.zip');
    execFileSync('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); [z.write(sys.argv[2]+'/'+n, n) for n in ('model.onnx','manifest.json')]; z.close()`, zip, fixtureBundle]);
    await page.goto(`${serve.origin}/#/models`);
    await page.getByLabel('Choose a model bundle zip').setInputFiles(zip);
    await page.locator('article[aria-label^="Model slow_r50 "]').waitFor({ timeout: 60_000 });
    await page.goto(`${serve.origin}/#/patients/WS-0100`);
    const card = page.locator(`article[aria-label="Video ${clips.sports2dH264}"]`);
    await card.getByRole('button', { name: 'Classify' }).click();
    await card.getByText('of the person-centred clip').waitFor({ timeout: 180_000 });
    await page.goto(reviewUrl);
    await page.locator('video[data-role="clip"]').waitFor();
    const [start, end] = segments[0]!;
    await page.getByLabel('Position in the original video').fill(String((start + Math.floor((end - start) / 3)) / 30));
    const t = await settled(page);
    const classified = Number(await page.locator('section.review-below').getAttribute('data-classified-time'));
    expect(Math.abs(classified - clipTimeOf(segments, t.original)!)).toBeLessThan(1e-6);

    // the verdict card names the bundle and says research only; the timeline seeks both players
    const below = page.locator('section.review-below');
    await below.getByText(/Research only — not validated/).first().waitFor();
    const chart = below.getByRole('listbox', { name: /^Clip scores: \d+ clips?/ });
    await chart.focus();
    await chart.press('End');
    await chart.press('Enter');
    const afterSeek = await settled(page);
    expect(Math.abs(afterSeek.clip - clipTimeOf(segments, afterSeek.original)!)).toBeLessThan(frame);
    await screenshot(page, 'review-12-scores-and-verdict');

    // a doctor's assessment, then an amendment: the history keeps the first call
    const form = below.locator('form');
    await form.getByLabel('Reader', { exact: true }).selectOption({ label: 'New reader…' });
    await form.getByLabel('New reader code').fill('dr-ito');
    await form.getByLabel('New reader name').fill('Dr Ito');
    await form.getByRole('button', { name: 'Add reader' }).click();
    await form.getByLabel('ASD', { exact: true }).check();
    await form.getByLabel('Confidence, 0 to 100').fill('70');
    await form.getByRole('button', { name: 'Save assessment' }).click();
    const item = below.getByRole('listitem', { name: 'Assessment by Dr Ito' });
    await item.getByText(/confidence 70\/100/).waitFor();
    await item.getByRole('button', { name: 'Amend the assessment by Dr Ito' }).click();
    await form.getByLabel('Not ASD', { exact: true }).check();
    await form.getByLabel('Confidence, 0 to 100').fill('55');
    await form.getByRole('button', { name: 'Save amendment' }).click();
    await item.getByText('History: 1 earlier version').waitFor();
    expect(await item.textContent()).toMatch(/confidence 55\/100/);
    await item.getByText('History: 1 earlier version').click();
    await screenshot(page, 'review-13-assessment-amended');
  });

  /** The original's current stage 2 result classified the clip its current stage 1 made (read from the database serve mode writes). */
  function stage2IsOfCurrentClip(dataDir: string): boolean {
    const db = new Database(join(dataDir, 'walkscope.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare(
          `SELECT s1.classified_video_id AS clip, s2.classified_video_id AS classified
             FROM analyses s1 JOIN analyses s2 ON s2.video_id = s1.video_id AND s2.stage = 2 AND s2.superseded_by IS NULL
            WHERE s1.stage = 1 AND s1.superseded_by IS NULL ORDER BY s2.id DESC LIMIT 1`,
        )
        .get() as { clip: number; classified: number } | undefined;
      return row !== undefined && row.clip === row.classified;
    } finally {
      db.close();
    }
  }

  it('shows the posture measures: the kinematics panel under the players and the angles drawn on the original', async () => {
    // the measurement step ran after stage 1 in the back end; the panel shows its charts
    const panel = page.locator('section.kinematics');
    await panel.getByTestId('cadence').waitFor({ timeout: 240_000 });
    expect(await panel.getByTestId('cadence').textContent()).toMatch(/^\d+(\.\d)? steps\/min$/);
    const chart = panel.getByRole('listbox', { name: /^Kinematics over time: \d+ measures?, \d+ segments?, \d+ foot contacts/ });
    await chart.waitFor();
    for (const label of ['Head line and its angle', 'Thigh angles', 'Knee angles']) await page.getByLabel(label).check();
    const [start, end] = segments[0]!;
    await page.getByLabel('Position in the original video').fill(String(Math.round((start + end) / 2) / 30));
    await settled(page);
    await page.locator('figure.original .stage svg.angles').waitFor({ timeout: 30_000 });
    await screenshot(page, 'review-08a-kinematics-and-angles');
    // a click on the chart seeks both players
    const box = (await chart.boundingBox())!;
    await chart.click({ position: { x: box.width * 0.6, y: box.height * 0.3 } });
    const after = await settled(page);
    expect(Math.abs(after.original - Math.round((start + end) / 2) / 30)).toBeGreaterThan(0.1);
    // the segment values in words
    await chart.focus();
    await chart.press('Home');
    expect(await panel.getByTestId('segment-readout').textContent()).toMatch(/segment|Segment/);
  });

  it('measures an angle from three clicks on a paused frame, saves it and lists it', async () => {
    const [start, end] = segments[0]!;
    const frameNumber = Math.round((start + end) / 2);
    await page.getByLabel('Position in the original video').fill(String(frameNumber / 30));
    await settled(page);
    const tools = page.locator('section.measure-tools');
    await tools.getByRole('button', { name: 'Angle', exact: true }).click();
    const stage = page.locator('figure.original .stage');
    await stage.scrollIntoViewIfNeeded();
    const box = (await stage.boundingBox())!;
    for (const [fx, fy] of [[0.45, 0.3], [0.5, 0.6], [0.6, 0.62]] as const) await stage.click({ position: { x: box.width * fx, y: box.height * fy } });
    await tools.getByText(/^Saved: angle \d+(\.\d)?° on frame \d+\.$/).waitFor({ timeout: 30_000 });
    await tools.locator('tbody tr').first().waitFor();
    expect(await tools.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'review-08b-angle-measured');
    // the annotation is stored with its author, and the audit log has it
    const db = new Database(join(serve.dataDir, 'walkscope.db'), { readonly: true, fileMustExist: true });
    try {
      const saved = db.prepare(`SELECT frame, value, author FROM annotations WHERE removed_at IS NULL`).all() as Array<{ frame: number; value: number; author: string }>;
      expect(saved).toHaveLength(1);
      expect(saved[0]!.value).toBeGreaterThan(0);
      expect(saved[0]!.value).toBeLessThan(180);
      expect((db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'annotation.add'`).get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('re-picks another person as the patient, shows the job and reloads both players', async () => {
    const other = await page.locator('#patient-track option:not([disabled])').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== '' && v !== 'null'));
    expect(other.length).toBeGreaterThan(0);
    const before = await page.locator('[data-segments]').getAttribute('data-segments');
    await page.getByLabel('Patient', { exact: true }).selectOption(other[0]!);
    await page.getByRole('button', { name: 'Re-run stage 1 with this person' }).click();
    await page.getByRole('progressbar', { name: 'Progress of stage 1 for this video' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'review-08-repick-running');
    await page.locator('.legend li.patient').getByText(`id ${other[0]}`, { exact: true }).waitFor({ timeout: 480_000 });
    await page.waitForFunction((old) => document.querySelector('[data-segments]')?.getAttribute('data-segments') !== old, before);
    segments = (await page.locator('[data-segments]').getAttribute('data-segments'))!.split(',').map((s) => s.split('-').map(Number) as [number, number]);
    // every segment: seek into its middle and check both players
    for (const [start, end] of segments) {
      const target = Math.round((start + end) / 2) / 30;
      await page.getByLabel('Position in the original video').fill(String(target));
      const t = await settled(page);
      expect(Math.abs(t.clip - clipTimeOf(segments, t.original)!)).toBeLessThan(frame);
    }
    // the back end classified the new clip once stage 1 committed: the verdict shown is of the clip on screen, never of the previous one
    await expect.poll(() => stage2IsOfCurrentClip(serve.dataDir), { timeout: 240_000, interval: 500 }).toBe(true);
    await page.locator('section.review-below .verdict').getByText(/of the person-centred clip/).waitFor({ timeout: 60_000 });
    expect(await page.locator('section.review-below').getByText(/which is not on screen/).count()).toBe(0);
    await screenshot(page, 'review-09-repicked');
  });
});

describe.runIf(ready)('review screen end to end: a 10 fps original', () => {
  let session: BrowserSession;
  let serve: ServeSession;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession();
    ({ serve, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('keeps the 30 fps clock and the person-centred clip in step, and says when the patient is out of view', async () => {
    const card = await patientThroughStage1(page, serve, 'WS-0110', clips.intelBackview10fps);
    await card.getByRole('link', { name: `Open review of ${clips.intelBackview10fps}` }).click();
    await page.locator('video[data-role="clip"]').waitFor();
    await settled(page);
    const segments = (await page.locator('[data-segments]').getAttribute('data-segments'))!.split(',').map((s) => s.split('-').map(Number) as [number, number]);
    const [start, end] = segments[0]!;
    const target = Math.round((start + end) / 2) / 30;
    await page.getByLabel('Position in the original video').fill(String(target));
    await page.locator('body').click({ position: { x: 5, y: 780 } });
    // a source frame is three timeline frames: one step moves to the start of the next source frame
    await page.keyboard.press('ArrowRight');
    const t = await settled(page);
    expect(Math.round(t.original * 30)).toBe(3 * (Math.floor(Math.round(target * 30) / 3) + 1));
    expect(await page.getByTestId('frame-step').textContent()).toMatch(/^frame \d+ of \d+ \(source, 10 fps\)$/);
    expect(Math.abs(t.clip - clipTimeOf(segments, t.original)!)).toBeLessThan(frame);
    expect(await page.getByTestId('original-readout').textContent()).toMatch(/source frame \d+ at 10 fps/);
    await screenshot(page, 'review-10-10fps');
    // before the first segment (or after the last) the clip says the patient is not in view
    const outside = start > 0 ? 0 : (segments.at(-1)![1] + 1) / 30;
    await page.getByLabel('Position in the original video').fill(String(outside));
    await settled(page);
    await page.getByText('Patient not in view').waitFor();
    await screenshot(page, 'review-11-not-in-view');
  });
});
