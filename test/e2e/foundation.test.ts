import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';
import { chromiumAvailable, screenshot, startBrowserSession, type BrowserSession, type ServeSession } from './helpers/serveHarness.js';

const fixtureBundle = resolve(import.meta.dirname, '../fixtures/models/slow_r50-tiny');
const ready = requireTestdata() && (chromiumAvailable || (console.warn('[walkscope tests] /usr/bin/chromium not found: end-to-end tests skipped.'), false));

describe.runIf(ready)('foundation end to end: serve mode in Debian Chromium', () => {
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

  it('refuses the page without the token', async () => {
    const response = await page.goto(`${serve.origin}/`);
    expect(response?.status()).toBe(403);
  });

  it('shows the empty patient list with what to do next, loading nothing that is missing (the icon included)', async () => {
    const failed: string[] = [];
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
    };
    page.on('response', onResponse);
    await page.goto(serve.url);
    await page.getByText('No patients yet.').waitFor();
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.waitForTimeout(500); // a browser with a window asks for the icon after the load
    page.off('response', onResponse);
    expect(failed).toEqual([]);
    // headless Chromium may not ask for the icon itself: the page names it, and it is there
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '';
      const response = await fetch(href);
      return { href: new URL(href).pathname, status: response.status, type: response.headers.get('content-type') };
    });
    expect(icon).toEqual({ href: '/favicon.svg', status: 200, type: 'image/svg+xml' });
    await screenshot(page, '01-empty-patients');
  });

  it('folds the jobs dock to one line and keeps it folded after a reload', async () => {
    await page.getByRole('button', { name: 'Hide jobs' }).click();
    await page.getByRole('button', { name: 'Show jobs' }).waitFor();
    await page.reload();
    await page.getByText('No patients yet.').waitFor();
    await page.getByRole('button', { name: 'Show jobs' }).waitFor();
    expect(await page.getByText('No jobs yet.', { exact: false }).count()).toBe(0);
    await screenshot(page, '01b-jobs-dock-folded');
    await page.getByRole('button', { name: 'Show jobs' }).click();
    await page.getByText('No jobs yet.', { exact: false }).waitFor();
  });

  it('creates a patient from the keyboard-reachable form', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('Patient code').fill('WS-0001');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('Birth year').fill('1951');
    await page.getByLabel('Diagnosis label').selectOption('ASD');
    await screenshot(page, '02-new-patient-form');
    await page.getByRole('button', { name: 'Create patient' }).click();
    await page.waitForURL(/#\/patients\/WS-0001$/);
    await page.getByText('No videos yet.').waitFor();
  });

  it('imports the VP9 clip and the H.264 copy and lists them with their real facts and a job progress bar', async () => {
    await page.getByLabel('Choose video files to import').setInputFiles([testVideo(clips.sports2dVp9)]);
    // a synthetic drop of the second file, as a user dragging it from the file manager
    const bytes = readFileSync(testVideo(clips.sports2dH264)).toString('base64');
    await page.evaluate(
      async ({ bytes, name }) => {
        const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], name, { type: 'video/mp4' }));
        const zone = document.querySelector('[aria-label="Import videos: drop files here"]')!;
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { bytes, name: clips.sports2dH264 },
    );
    const vp9 = page.locator(`article[aria-label="Video ${clips.sports2dVp9}"]`);
    const h264 = page.locator(`article[aria-label="Video ${clips.sports2dH264}"]`);
    await vp9.waitFor({ timeout: 60_000 });
    await h264.waitFor({ timeout: 60_000 });
    await page.locator('[role="progressbar"][aria-label^="Progress of job"]').first().waitFor();
    await screenshot(page, '03-imported-jobs-running');
    expect(await vp9.locator('[data-fact="duration"]').textContent()).toBe('7.7 s');
    expect(await vp9.locator('[data-fact="fps"]').textContent()).toContain('30 fps');
    expect(await vp9.locator('[data-fact="size"]').textContent()).toBe('1768×994');
    expect(await h264.locator('[data-fact="duration"]').textContent()).toBe('7.7 s');
    expect(await h264.locator('[data-fact="size"]').textContent()).toBe('1280×720');
    // both analysis jobs finish and the thumbnails appear
    await page.locator(`article[aria-label="Video ${clips.sports2dVp9}"] img`).waitFor({ timeout: 60_000 });
    await page.locator(`article[aria-label="Video ${clips.sports2dH264}"] img`).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('tr.job[data-status="done"]').length >= 2, undefined, { timeout: 60_000 });
    await screenshot(page, '04-patient-with-videos');
  });

  it('says clearly when a file is refused, and stores it once when dropped twice', async () => {
    await page.getByLabel('Choose video files to import').setInputFiles({ name: 'notes.mp4', mimeType: 'video/mp4', buffer: Buffer.from('not a video at all\n'.repeat(50)) });
    await page.getByText('The file notes.mp4 is not a video WalkScope can read.').waitFor();
    await page.getByLabel('Choose video files to import').setInputFiles([testVideo(clips.sports2dH264)]);
    await page.getByText('Already stored: the same file was imported before.').waitFor();
    expect(await page.locator('article.video').count()).toBe(2);
    await screenshot(page, '05-refused-and-duplicate');
  });

  it('imports a model bundle and classifies a video, labelled research only', async () => {
    const zip = join(serve.dataDir, 'slow_r50-tiny.zip');
    execFileSync('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); [z.write(sys.argv[2]+'/'+n, n) for n in ('model.onnx','manifest.json')]; z.close()`, zip, fixtureBundle]);
    await page.goto(`${serve.origin}/#/models`);
    await page.getByText('No classification model is installed.').waitFor();
    await page.getByLabel('Choose a model bundle zip').setInputFiles(zip);
    await page.locator('article[aria-label^="Model slow_r50 "]').waitFor({ timeout: 60_000 });
    expect(await page.getByText('RESEARCH ONLY — NOT VALIDATED').count()).toBeGreaterThan(0);
    await screenshot(page, '06-models');
    await page.goto(`${serve.origin}/#/patients/WS-0001`);
    const card = page.locator(`article[aria-label="Video ${clips.sports2dH264}"]`);
    await card.getByRole('button', { name: 'Classify' }).click();
    await card.locator('.verdict').waitFor({ timeout: 120_000 });
    expect(await card.locator('.verdict').textContent()).toMatch(/P\(ASD\) \d\.\d\d → (ASD|non-ASD)/);
    // the card says "research only" beside the result; the page carries the one banner
    await card.getByText('research only', { exact: true }).waitFor();
    await page.getByText('RESEARCH ONLY — NOT VALIDATED').waitFor();
    expect(await page.getByText('RESEARCH ONLY — NOT VALIDATED').count()).toBe(1);
    await screenshot(page, '07-classified-research-only');
  });

  it('"Analyse all" finishes stage 1 and stage 2 for every video after the page is closed', async () => {
    await page.goto(`${serve.origin}/#/patients/WS-0001`);
    await page.getByRole('button', { name: 'Analyse all (2 videos)' }).click();
    await page.getByText('0 of 2 videos analysed, working…', { exact: false }).waitFor();
    await screenshot(page, '07b-analyse-all-started');
    await page.close();
    // nobody is watching now: the back end queues stage 2 as each stage 1 commits
    const current = () => {
      const db = new Database(join(serve.dataDir, 'walkscope.db'), { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare(
            `SELECT v.id,
               (SELECT MAX(a.id) FROM analyses a WHERE a.video_id = v.id AND a.stage = 1 AND a.superseded_by IS NULL) AS stage1,
               (SELECT a.stage1_analysis_id FROM analyses a WHERE a.video_id = v.id AND a.stage = 2 AND a.superseded_by IS NULL ORDER BY a.id DESC LIMIT 1) AS stage2From
             FROM videos v WHERE v.kind = 'original' ORDER BY v.id`,
          )
          .all() as Array<{ id: number; stage1: number | null; stage2From: number | null }>;
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 240_000;
    while (!current().every((v) => v.stage1 !== null && v.stage2From === v.stage1)) {
      if (Date.now() > deadline) throw new Error(`analyses did not finish: ${JSON.stringify(current())}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(current()).toHaveLength(2);
    page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${serve.url.split('#')[0]}#/patients/WS-0001`);
    for (const name of [clips.sports2dVp9, clips.sports2dH264]) await page.locator(`article[aria-label="Video ${name}"] .verdict`).waitFor({ timeout: 60_000 });
    await screenshot(page, '07c-analysed-while-closed');
  });

  it('lists the patient and works at 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${serve.origin}/#/patients`);
    await page.getByRole('link', { name: 'WS-0001' }).waitFor();
    expect(await page.locator('tbody tr').first().textContent()).toContain('2');
    await screenshot(page, '08-patient-list-1080p');
    await page.goto(`${serve.origin}/#/settings`);
    await page.getByText('About WalkScope').waitFor();
    await screenshot(page, '09-settings');
  });
});
