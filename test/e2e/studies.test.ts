import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/main.js';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';
import { chromiumAvailable, launchChromium, screenshot, startServe, type ServeSession } from './helpers/serveHarness.js';

const ready = requireTestdata() && (chromiumAvailable || (console.warn('[walkscope tests] /usr/bin/chromium not found: end-to-end tests skipped.'), false));
const quiet = { out: () => {}, err: () => {} };

/** A two-reader study on generated labels (the clips are real walking videos; the labels are made up for the test). */
describe.runIf(ready)('reader study end to end in Debian Chromium', () => {
  let serve: ServeSession;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    serve = await startServe();
    const cli = (...args: string[]) => runCli([...args, '--data-dir', serve.dataDir], quiet);
    expect(await cli('patients', 'create', 'R-01', '--diagnosis', 'ASD')).toBe(0);
    expect(await cli('patients', 'create', 'R-02', '--diagnosis', 'LCS')).toBe(0);
    expect(await cli('patients', 'create', 'R-03', '--diagnosis', 'DHS')).toBe(0);
    expect(await cli('import', testVideo(clips.intelWorker15fps), '--patient', 'R-01')).toBe(0);
    expect(await cli('import', testVideo(clips.intelBackview10fps), '--patient', 'R-02')).toBe(0);
    expect(await cli('import', testVideo(clips.sports2dH264), '--patient', 'R-03')).toBe(0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await page.goto(serve.url);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('creates a study from a cohort and enrols two readers', async () => {
    await page.goto(`${serve.origin}/#/studies`);
    await page.getByText('No studies yet.').waitFor();
    await page.getByPlaceholder('e.g. Reader study, 1 s clips').fill('Pilot: 1 s clips, two readers');
    await page.getByPlaceholder('random').fill('2023');
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.waitForURL(/#\/studies\/\d+$/);
    await page.getByLabel('Patient codes to add').fill('R-01, R-02, R-03');
    await page.getByRole('button', { name: 'Add their videos' }).click();
    await page.getByText('3 cases (1 ASD)').waitFor();
    for (const [code, name] of [['dr-a', 'Dr A'], ['dr-b', 'Dr B']] as const) {
      await page.getByLabel('Existing reader').selectOption('');
      await page.getByLabel('New reader code').fill(code);
      await page.getByLabel('New reader name').fill(name);
      await page.getByRole('button', { name: 'Enrol' }).click();
      await page.getByRole('link', { name: 'Start reading' }).nth(code === 'dr-a' ? 0 : 1).waitFor();
    }
    await screenshot(page, 's1-study-enrolled');
  });

  it('reads every case blinded, with graded confidence, as each reader (one pauses and resumes)', async () => {
    for (const reader of ['dr-a', 'dr-b']) {
      await page.goto(`${serve.origin}/#/studies/1/read/${reader}`);
      for (let n = 1; n <= 3; n++) {
        await page.getByText(`Case ${n} of 3`).waitFor();
        const body = await page.locator('main').textContent();
        expect(body).not.toMatch(/R-0\d|LCS|DHS|P\(ASD\)/); // no identity, label or model output
        await page.locator('video').evaluate((v: HTMLVideoElement) => new Promise((r) => (v.readyState >= 2 ? r(null) : v.addEventListener('loadeddata', () => r(null), { once: true }))));
        if (reader === 'dr-a' && n === 1) await screenshot(page, 's2-reading-blinded');
        await page.getByLabel(n % 2 ? 'ASD' : 'Not ASD', { exact: true }).check();
        await page.getByLabel('Confidence in the call, 0 to 100').fill(String(40 + n * 15));
        await page.getByRole('button', { name: 'Save and next case' }).click();
        if (reader === 'dr-b' && n === 1) {
          // pause, come back later: the next unread case is offered
          await page.getByRole('link', { name: 'Pause and leave' }).click();
          await page.getByRole('link', { name: 'Resume reading' }).waitFor();
          await page.goto(`${serve.origin}/#/studies/1/read/${reader}`);
        }
      }
      await page.getByText('You have read every case of this study.').waitFor();
    }
  });

  it('shows results and exports the PDF report', async () => {
    await page.goto(`${serve.origin}/#/studies/1`);
    await page.locator('table[aria-label="Readers and model"]').waitFor();
    expect(await page.locator('table[aria-label="Readers and model"] tbody tr').count()).toBe(2);
    await screenshot(page, 's3-study-results');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
    const file = join(serve.dataDir, 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    try {
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain('Pilot: 1 s clips, two readers');
      expect(text).toMatch(/dr-a vs dr-b/);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.warn('[walkscope tests] pdftotext not installed: PDF text not checked.');
    }
  });
});
