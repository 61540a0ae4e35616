import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const projectRoot = resolve(import.meta.dirname, '../../..');
export const chromiumPath = process.env.WALKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(projectRoot, 'test/e2e/screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the renderer when out/renderer is missing or older than its sources.
 *
 * The build runs as a child process the test awaits, never a synchronous exec: a fresh clone
 * builds here, which takes a minute or more on a busy 2-core machine, and a worker whose event
 * loop is blocked that long misses vitest's RPC deadline ("Timeout calling onTaskUpdate"), after
 * which the whole e2e project's results are lost.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const out = join(projectRoot, 'out/renderer/index.html');
  const stale = !existsSync(out) || newestMtime(join(projectRoot, 'src-renderer')) > statSync(out).mtimeMs || newestMtime(join(projectRoot, 'src-main/contract')) > statSync(out).mtimeMs;
  if (!stale) return;
  const build = spawn(process.execPath, [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: projectRoot, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    build.once('error', reject);
    build.once('exit', resolvePromise);
  });
  if (code !== 0) throw new Error(`the renderer build (vite build) exited with ${code}`);
}

export interface ServeSession {
  url: string;
  origin: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** What a test may do to the fresh data folder before serve mode opens it (e.g. store a generated cohort). */
export interface ServeOptions {
  prepare?: (dataDir: string) => Promise<void>;
  /** The browser's locale (navigator.language), e.g. `ja-JP` for a Japanese machine; Chromium's default otherwise. */
  locale?: string;
}

/** Starts `serve` mode on a fresh data folder and resolves with the printed address. */
export async function startServe(options: ServeOptions = {}): Promise<ServeSession> {
  await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'walkscope-e2e-'));
  await options.prepare?.(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src-main/server/serveMain.ts'), '--port', '0', '--data-dir', dataDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve mode did not start: ${log}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      log += c.toString();
      const match = /serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve mode exited with ${code}: ${log}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Serve mode on a fresh data folder and one Chromium page at 1280x800, for a describe block's beforeAll. */
export interface BrowserSession {
  serve: ServeSession;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startBrowserSession(options: ServeOptions = {}): Promise<BrowserSession> {
  const serve = await startServe(options);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...(options.locale ? { locale: options.locale } : {}) });
  return {
    serve,
    browser,
    page,
    async close() {
      await browser.close();
      await serve.stop();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export const chromiumAvailable = existsSync(chromiumPath);
