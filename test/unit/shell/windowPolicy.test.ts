import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAllowedNavigation, isTrustedSender, leaveDecision, rendererCsp, rendererFileFor, reportSaveDialog, windowWebPreferences } from '../../../src-main/shell/windowPolicy.js';

describe('the desktop window security policy', () => {
  it('isolates the page: sandbox, context isolation, no Node, no webview', () => {
    expect(windowWebPreferences('/x/preload.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('has a strict CSP with no remote origin', () => {
    expect(rendererCsp).toContain("default-src 'none'");
    expect(rendererCsp).toContain("script-src 'self'");
    expect(rendererCsp).not.toMatch(/https?:/);
    expect(rendererCsp).not.toContain('unsafe-eval');
  });

  it('trusts only the top frame of the app origin', () => {
    expect(isTrustedSender('app://walkscope/index.html', true)).toBe(true);
    expect(isTrustedSender('app://walkscope/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isAllowedNavigation('https://example.com')).toBe(false);
  });

  it('serves only files inside the renderer folder', () => {
    expect(rendererFileFor('app://walkscope/')).toBe('index.html');
    expect(rendererFileFor('app://walkscope/assets/index.js')).toBe('assets/index.js');
    // dot segments are resolved by URL parsing, so the path stays inside the folder
    expect(rendererFileFor('app://walkscope/%2e%2e/%2e%2e/secret')).toBe('secret');
    expect(rendererFileFor('app://walkscope/a/%2E%2E%5C..%5Csecret')).toBeUndefined();
    expect(rendererFileFor('app://other/index.html')).toBeUndefined();
  });

  it('main checks the sender of every call and denies permissions, new windows and navigation', () => {
    const main = readFileSync(resolve(import.meta.dirname, '../../../src-main/shell/main.ts'), 'utf8');
    expect(main).toContain('isTrustedSender(frame.url');
    expect(main).toContain('setPermissionRequestHandler');
    expect(main).toContain("action: 'deny'");
    expect(main).toContain("'will-navigate'");
    const preload = readFileSync(resolve(import.meta.dirname, '../../../src-main/shell/preload.ts'), 'utf8');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preload).toContain('allowedMethods.has(method)');
  });

  it('opens no browser or other program at the page\'s request: every window.open and navigation away is refused, with a log line', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/x', 'file:///usr/share/doc/walkscope/index.html', 'mailto:dr@example.org', 'javascript:alert(1)', 'app://walkscope/index.html', 'not a url']) {
      expect(leaveDecision('new-window', url)).toMatchObject({ allow: false, log: expect.stringContaining('shell: refused new-window to ') });
    }
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'walkscope-media://video/1']) {
      expect(leaveDecision('navigation', url).allow).toBe(false);
      expect(leaveDecision('redirect', url).allow).toBe(false);
    }
    expect(leaveDecision('navigation', 'app://walkscope/index.html#/patients')).toEqual({ allow: true });
    // the log keeps where, not the query (which could carry patient data)
    expect(leaveDecision('new-window', 'https://example.com/search?q=P-0042')).toEqual({
      allow: false,
      log: 'shell: refused new-window to https://example.com/search (WalkScope opens no other page or program)',
    });
    const main = readFileSync(resolve(import.meta.dirname, '../../../src-main/shell/main.ts'), 'utf8');
    expect(main).not.toContain('openExternal');
    expect(main).not.toMatch(/import \{[^}]*\bshell\b[^}]*\} from 'electron'/);
    expect(main).toContain("mayLeave('new-window', url)");
    expect(main).toContain("mayLeave('navigation', url)");
    expect(main).toContain("'will-redirect'");
  });

  it('saves only reports the app made, through a save dialog named after the report', () => {
    expect(reportSaveDialog('blob:app://walkscope/6f1c-22', 'study-3-report.pdf', '/home/dr/Documents')).toEqual({
      title: 'Save the report',
      defaultPath: '/home/dr/Documents/study-3-report.pdf',
      filters: [{ name: 'PDF report', extensions: ['pdf'] }],
    });
    expect(reportSaveDialog('blob:app://walkscope/1', 'cases.CSV', '/d')?.filters).toEqual([{ name: 'CSV table', extensions: ['csv'] }]);
    expect(reportSaveDialog('blob:app://walkscope/1', 'a/b:c.html', '/d')?.defaultPath).toBe('/d/a_b_c.html');
    expect(reportSaveDialog('blob:app://walkscope/1', '', '/d')).toMatchObject({ defaultPath: '/d/walkscope-report', filters: [] });
    expect(reportSaveDialog('https://evil.example/x.pdf', 'x.pdf', '/d')).toBeNull();
    expect(reportSaveDialog('blob:https://evil.example/1', 'x.pdf', '/d')).toBeNull();
  });
});
