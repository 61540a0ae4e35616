import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type { Video } from '../../src-main/contract/entities.js';
import { WalkScopeApp } from '../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';
import { ok } from '../helpers/tempApp.js';
import { chromiumAvailable, screenshot, screenshotDir, startBrowserSession, type BrowserSession, type ServeSession } from './helpers/serveHarness.js';

const ready = (chromiumAvailable || (console.warn('[walkscope tests] /usr/bin/chromium not found: end-to-end tests skipped.'), false)) && requireTestdata();

/**
 * Four patients with real walking clips; their diagnoses are INVENTED for the test (no
 * labelled ASD video is public): the side-view walker in two encodings as "ASD", the two Intel
 * clips as other conditions. Stage 1, the posture measures and stage 2 (the tiny test model)
 * run for real before serve mode opens the folder.
 */
async function prepareCohort(dataDir: string): Promise<void> {
  const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {} });
  try {
    ok(await app.call('models.import', { source: { kind: 'path', path: resolve(import.meta.dirname, '../fixtures/models/slow_r50-tiny') } }));
    const cohort = [
      ['S-01', 'ASD', clips.sports2dH264],
      ['S-02', 'ASD', clips.sports2dVp9],
      ['S-03', 'LCS', clips.intelWorker15fps],
      ['S-04', 'DHS', clips.intelBackview10fps],
    ] as const;
    const ids: number[] = [];
    for (const [code, diagnosis, clip] of cohort) {
      ok(await app.call('patients.create', { code, diagnosis }));
      ids.push(ok<{ video: Video }>(await app.call('videos.import', { patientCode: code, source: { kind: 'path', path: testVideo(clip) } })).video.id);
    }
    ok(await app.call('analyses.run', { videoIds: ids, scope: 'all' }));
    // each step queues the next when it commits: idle once no job is queued or running
    await app.runner.idle();
    const failed = app.store.db.prepare(`SELECT kind, error_code, error_message FROM jobs WHERE status <> 'done'`).all();
    if (failed.length > 0) throw new Error(`analysis jobs did not finish: ${JSON.stringify(failed)}`);
  } finally {
    await app.close();
  }
}

/** Reads every case of the open session as `reader`; the first case of session 1 is screenshotted. */
async function readSession(page: Page, reader: string, session: number, shot?: string): Promise<number> {
  let n = 0;
  for (;;) {
    const waiting = page.getByText(/opens on|You have read every case/);
    const question = page.getByRole('button', { name: 'Save and next case' });
    await Promise.race([waiting.first().waitFor(), question.waitFor()]);
    if (await waiting.count()) return n;
    n++;
    await page.getByText(`Session ${session} of 2`).waitFor();
    await page.locator('video').evaluate((v: HTMLVideoElement) => new Promise((r) => (v.readyState >= 2 ? r(null) : v.addEventListener('loadeddata', () => r(null), { once: true }))));
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toMatch(/S-0\d|LCS|DHS|Patients|Models/); // no identity, no label, no navigation
    if (session === 1) expect(body).not.toMatch(/P\(ASD\)/);
    if (shot && n === 1) await screenshot(page, shot);
    await page.getByLabel(n % 2 ? 'ASD' : 'Not ASD', { exact: true }).check();
    await page.getByLabel('Confidence in the call, 0 to 100').fill(String(30 + n * 12 + (reader === 'dr-b' ? 5 : 0)));
    await page.getByRole('button', { name: 'Save and next case' }).click();
    await page.getByText(new RegExp(`Case ${n + 1} of|opens on|You have read every case`)).first().waitFor();
  }
}

describe.runIf(ready)('an aided reader study end to end: two readers, two sessions with a washout, the MRMC report', () => {
  let session: BrowserSession;
  let serve: ServeSession;
  let page: Page;

  beforeAll(async () => {
    session = await startBrowserSession({ prepare: prepareCohort });
    ({ serve, page } = session);
    await page.goto(serve.url);
  }, 600_000);
  afterAll(async () => {
    await session?.close();
  });

  it('designs the study: aided after a 28-day washout, cases picked by patient, two readers', async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${serve.origin}/#/studies`);
    await page.getByPlaceholder('e.g. Reader study, 1 s clips').fill('Aided pilot: 1 s clips');
    await page.getByPlaceholder('random').fill('2023');
    await page.getByLabel('View').selectOption('original-marked');
    await page.getByLabel('Sessions').selectOption('unaided-aided');
    await page.getByLabel('Washout (days)').fill('28');
    await page.getByRole('button', { name: 'Create study' }).click();
    await page.waitForURL(/#\/studies\/\d+$/);
    await page.getByRole('button', { name: /Select all 4 shown/ }).click();
    await page.getByRole('button', { name: 'Add the videos of 4 patients (2 ASD, 2 other)' }).click();
    await page.locator('p.size').getByText('4 patients (2 ASD) · 4 cases (2 ASD)').waitFor();
    for (const [code, name] of [['dr-a', 'Dr A'], ['dr-b', 'Dr B']] as const) {
      await page.getByLabel('Existing reader').selectOption('');
      await page.getByLabel('New reader code').fill(code);
      await page.getByLabel('New reader name').fill(name);
      await page.getByRole('button', { name: 'Enrol' }).click();
      await page.getByRole('list', { name: `Sessions of ${code}` }).waitFor();
    }
    expect(await page.getByRole('list', { name: 'Sessions of dr-a' }).textContent()).toMatch(/Session 1 · unaided: 0\/4 · seed \d+.*Session 2 · aided: 0\/4 · seed \d+/s);
    await screenshot(page, 'study-01-design');
  });

  it('reads session 1 blinded on a screen of its own, the patient marked, then waits for the washout', async () => {
    await page.goto(`${serve.origin}/#/studies/1/read/dr-a`);
    expect(await readSession(page, 'dr-a', 1, 'study-02-reading-marked')).toBe(4);
    const waiting = page.getByRole('status').filter({ hasText: 'opens on' });
    expect(await waiting.textContent()).toMatch(/Session 2 \(aided\) opens on \d{1,2} \w{3} \d{4} \d{2}:\d{2} — 28 days after your last reading of session 1/);
    await screenshot(page, 'study-03-washout');
    // a typed address does not leave the reading screen
    await page.evaluate(() => (location.hash = '#/patients'));
    await page.getByText('Other screens stay closed while you read').waitFor();
    expect(await page.getByRole('link', { name: 'Patients' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Leave reading' }).click();
    await page.waitForURL(/#\/studies\/1$/);
    await page.goto(`${serve.origin}/#/studies/1/read/dr-b`);
    expect(await readSession(page, 'dr-b', 1)).toBe(4);
    await page.getByRole('button', { name: 'Leave reading' }).click();
    await page.waitForURL(/#\/studies\/1$/);
  });

  it('opens the aided session once the washout has passed, with the model and the measures beside the video', async () => {
    // the test moves the clock: session 1's readings are dated 29 days earlier in the database
    const db = new Database(join(serve.dataDir, 'walkscope.db'));
    db.prepare(`UPDATE study_readings SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '-29 days') WHERE session = 1`).run();
    db.close();
    for (const reader of ['dr-a', 'dr-b']) {
      await page.goto(`${serve.origin}/#/studies/1/read/${reader}`);
      await page.getByText('Session 2 of 2').waitFor();
      const aid = page.getByRole('complementary').or(page.locator('.aid')).first();
      await aid.waitFor();
      expect(await page.locator('main').textContent()).toMatch(/P\(ASD\)/);
      expect(await readSession(page, reader, 2, reader === 'dr-a' ? 'study-04-aided' : undefined)).toBe(4);
      await page.getByText('You have read every case of this study.').waitFor();
      await page.getByRole('button', { name: 'Leave reading' }).click();
      await page.waitForURL(/#\/studies\/1$/);
    }
  });

  it('states the primary endpoint (OR-MRMC on patients), lists the cases, and exports the PDF report', async () => {
    const mrmc = page.getByRole('region', { name: 'MRMC analysis' });
    await mrmc.waitFor();
    const text = (await mrmc.textContent())!.replace(/\s+/g, ' ');
    console.log('[e2e] MRMC:', text.slice(0, 400));
    expect(text).toContain('Primary endpoint · OR-MRMC on 4 patients');
    expect(text).toMatch(/aided − unaided: [+−]\d\.\d{3} \(95% CI/);
    // the case list loads on its own after the MRMC summary: wait for its rows, not its placeholder
    const cases = page.getByRole('table', { name: /case/i }).first();
    await cases.getByText('S-01').first().waitFor();
    expect(await cases.textContent()).toMatch(/S-01/);
    await screenshot(page, 'study-05-results');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
    const file = join(serve.dataDir, 'report.pdf');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    try {
      const pdf = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(pdf).toContain('Aided pilot: 1 s clips');
      execFileSync('pdftoppm', ['-png', '-r', '60', file, join(screenshotDir, 'study-06-report-page')]);
      expect(existsSync(join(screenshotDir, 'study-06-report-page-1.png'))).toBe(true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.warn('[walkscope tests] pdftotext/pdftoppm not installed (Debian poppler-utils): PDF text not checked.');
    }
  });
});
