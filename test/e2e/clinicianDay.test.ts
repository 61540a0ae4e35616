import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import { catalogues, translatorFor, type Catalogue } from '../../src-main/contract/i18n/translator.js';
import type { Language } from '../../src-main/contract/i18n/languages.js';
import { chromiumAvailable, screenshot, screenshotDir, startBrowserSession, type BrowserSession, type ServeSession } from './helpers/serveHarness.js';

/**
 * A clinician's day, once on a Japanese computer and once on an English one: the app opens in
 * the computer's language, a patient is created, two visits are imported (the real side-view
 * clip, remuxed here twice with the creation times of two made-up visits), analysed, reviewed
 * with the posture angles, compared side by side, and the patient summary is printed and
 * rendered to PNG. Every sentence checked is looked up in that language's catalogue.
 */
const ready = requireTestdata() && (chromiumAvailable || (console.warn('[walkscope tests] /usr/bin/chromium not found: end-to-end tests skipped.'), false));

const visits = [
  { file: 'visit-march.mp4', creationTime: '2026-03-05T01:30:00.000000Z' },
  { file: 'visit-september.mp4', creationTime: '2026-09-01T01:30:00.000000Z' },
];

function makeVisitFiles(folder: string): string[] {
  const { ffmpeg } = resolveFfmpeg();
  return visits.map(({ file, creationTime }) => {
    const out = join(folder, file);
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-i', testVideo(clips.sports2dH264), '-c', 'copy', '-metadata', `creation_time=${creationTime}`, out]);
    return out;
  });
}

/** Every key of the English catalogue (plural suffixes dropped): none should ever be on a screen. */
function catalogueKeys(catalogue: Catalogue = catalogues.en, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([name, value]) => {
    const key = prefix ? `${prefix}.${name}` : name;
    return typeof value === 'string' ? [key.replace(/_(one|other)$/, '')] : catalogueKeys(value, key);
  });
}

describe.runIf(ready).each([
  ['ja-JP', 'ja'],
  ['en-GB', 'en'],
] as Array<[string, Language]>)('a clinician\'s day on a %s computer', (locale, language) => {
  const T = (key: string, vars?: Record<string, string | number>) => translatorFor(language).t(key, vars);
  const shot = (name: string) => screenshot(page, `day-${language}-${name}`);
  let session: BrowserSession;
  let serve: ServeSession;
  let page: Page;
  let folder: string;
  let files: string[];
  const code = 'WS-0101';

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'walkscope-visits-'));
    files = makeVisitFiles(folder);
    session = await startBrowserSession({ locale });
    ({ serve, page } = session);
  });
  afterAll(async () => {
    await session?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens in the computer\'s language', async () => {
    await page.goto(serve.url);
    await page.getByRole('link', { name: T('common.nav.patients') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    await page.getByText(T('common.app.tagline')).waitFor();
    await shot('01-patients');
  });

  it('creates a patient', async () => {
    await page.keyboard.press('n');
    await page.locator('form.patient-form input[name="code"]').fill(code);
    await page.locator('form.patient-form select[name="sex"]').selectOption('female');
    await page.locator('form.patient-form input[name="birthYear"]').fill('1950');
    await page.locator('form.patient-form select[name="diagnosis"]').selectOption('ASD');
    await shot('02-new-patient');
    await page.locator('form.patient-form button[type="submit"]').click();
    await page.waitForURL(new RegExp(`#/patients/${code}$`));
  });

  it('imports two visits, grouped by the day each was recorded', async () => {
    await page.locator('input[type="file"]').first().setInputFiles(files);
    for (const { file } of visits) await page.locator(`article[aria-label$="${file}"]`).waitFor({ timeout: 60_000 });
    const march = translatorFor(language).t('visits.visitOf', { day: language === 'ja' ? '2026/03/05' : '5 Mar 2026' });
    const september = translatorFor(language).t('visits.visitOf', { day: language === 'ja' ? '2026/09/01' : '1 Sep 2026' });
    await page.getByRole('heading', { name: september }).waitFor();
    await page.getByRole('heading', { name: march }).waitFor();
    await shot('03-two-visits');
  });

  it('analyses both visits', async () => {
    await page.locator('.analyse-buttons button').first().click();
    const measured = () => {
      const db = new Database(join(serve.dataDir, 'walkscope.db'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare(`SELECT COUNT(DISTINCT m.video_id) AS n FROM measurements m JOIN videos v ON v.id = m.video_id WHERE v.kind = 'original'`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 300_000;
    while (measured() < 2) {
      if (Date.now() > deadline) throw new Error('the two visits were not measured within 5 minutes');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await page.reload();
    await page.locator('a.open-review').first().waitFor();
    // the page leads with the latest visit's key frame, its lines, and the measures per visit
    await page.locator('section.overview svg image').waitFor({ timeout: 30_000 });
    expect(await page.locator('section.overview svg line').count()).toBeGreaterThan(2);
    await page.getByRole('heading', { name: T('patients.overview.measuresPerVisit') }).waitFor();
    await page.getByText(T('patients.overview.latestVisit', { day: language === 'ja' ? '2026/09/01' : '1 Sep 2026' })).waitFor();
    await shot('04-analysed');
  });

  it('reviews a visit with the posture angles', async () => {
    await page.locator('a.open-review').first().click();
    await page.waitForURL(/#\/videos\/\d+\/review$/);
    await page.locator('video').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('video').length >= 1 && [...document.querySelectorAll('video')].every((v) => v.readyState >= 2), undefined, { timeout: 30_000 });
    // three seconds in, the patient walks side-on: the trunk line and its angle are drawn on them
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.waitForTimeout(800);
    await shot('05-review');
  });

  it('compares the two visits side by side, with the measures and their difference', async () => {
    await page.goto(`${serve.origin}/#/patients/${code}/compare`);
    await page.getByRole('heading', { name: T('compare.title', { code }) }).waitFor();
    const table = page.getByRole('region', { name: T('compare.measures') }).getByRole('table');
    await table.waitFor();
    await table.getByRole('row', { name: new RegExp(T('measures.name.trunkLean')) }).waitFor();
    await page.getByLabel(T('compare.alignAt')).selectOption('firstLeft');
    await page.getByText(T('compare.alignedBy', { offset: '0.00' }), { exact: false }).waitFor();
    await page.getByRole('button', { name: T('compare.playBoth') }).click();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: T('compare.pauseBoth') }).click();
    const times = await page.evaluate(() => [...document.querySelectorAll('video')].map((v) => v.currentTime));
    // the same clip twice, lined up at the same contact: the two players show the same moment
    expect(Math.abs(times[0]! - times[1]!)).toBeLessThan(1 / 15);
    expect(times[0]).toBeGreaterThan(0.5);
    await shot('06-compare');
  });

  it('chooses the language in Settings, which the reports follow too', async () => {
    // the reports are made by the back end, whose locale is this test machine's: the setting makes it this computer's language
    await page.goto(`${serve.origin}/#/settings`);
    await page.getByLabel(T('language.label')).selectOption(language);
    await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
    await page.getByRole('link', { name: T('common.nav.settings') }).waitFor();
    await shot('06b-language-setting');
  });

  it('shows every other screen in this language, with no catalogue key left showing', async () => {
    const keys = catalogueKeys();
    for (const [route, name] of [['#/jobs', 'jobs'], ['#/models', 'models'], ['#/studies', 'studies'], ['#/settings', 'settings'], [`#/patients/${code}`, 'patient']] as const) {
      await page.goto(`${serve.origin}/${route}`);
      // the screens load over the WebSocket, which a load state does not see: wait for the heading, then the lists
      await page.locator('h1').first().waitFor();
      await page.waitForTimeout(1200);
      const text = await page.evaluate(() => document.body.innerText);
      expect(keys.filter((key) => text.includes(key)), `${name}: keys shown instead of sentences`).toEqual([]);
      await shot(`08-${name}`);
    }
  });

  it('prints the one-page summary, in this language', async () => {
    await page.goto(`${serve.origin}/#/patients/${code}`);
    await page.locator('.summary button').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.locator('.summary button').first().click()]);
    const file = join(serve.dataDir, `summary-${language}.pdf`);
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    try {
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain(code);
      expect(text).toContain(T('reports.summary.title', { code }));
      expect(text).toContain(T('measures.name.trunkLean'));
      execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', file, join(screenshotDir, `day-${language}-07-summary`)]);
      expect(existsSync(join(screenshotDir, `day-${language}-07-summary-1.png`))).toBe(true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.warn('[walkscope tests] pdftotext/pdftoppm not installed (Debian poppler-utils): the summary PDF was not rendered.');
    }
  });
});
