import { join } from 'node:path';
import { contentSecurityPolicy } from '../contract/security.js';

/**
 * The desktop window's security settings, kept free of Electron imports so tests can check
 * them in plain Node. The page runs sandboxed with context isolation and no Node; it talks
 * to main only through the preload's contract bridge.
 */

/** The renderer is served from this private scheme, never from file:// or the network. */
export const appScheme = 'app';
export const appHost = 'walkscope';
export const appOrigin = `${appScheme}://${appHost}`;
export const mediaScheme = 'walkscope-media';

/** IPC channel names; the preload and main share them. */
export const ipcChannels = { call: 'walkscope:call', event: 'walkscope:event' } as const;

export function windowWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  } as const;
}

export const rendererCsp = contentSecurityPolicy({ connectSrc: [], mediaSrc: [`${mediaScheme}:`] });

/** Only the app's own top frame may call the contract. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const url = new URL(frameUrl);
    return url.protocol === `${appScheme}:` && url.host === appHost;
  } catch {
    return false;
  }
}

/** Navigation away from the app is refused; so are new windows. */
export function isAllowedNavigation(targetUrl: string): boolean {
  return isTrustedSender(targetUrl, true);
}

/** How the page asked to leave: a link or `location` change, a redirect, or `window.open`. */
export type LeaveKind = 'navigation' | 'redirect' | 'new-window';

export type LeaveDecision = { allow: true } | { allow: false; log: string };

/**
 * WalkScope is air-gapped, so nothing the page does opens a browser, a mail client or any
 * other program (no shell.openExternal), and no page but the app's own loads in its window:
 * every `window.open` is refused, and a navigation only stays inside app://walkscope. There is
 * no local documentation to open either (the guides are not packaged). Each refusal gives the
 * line to log: the address without its query, which could carry patient data.
 */
export function leaveDecision(kind: LeaveKind, targetUrl: string): LeaveDecision {
  if (kind !== 'new-window' && isAllowedNavigation(targetUrl)) return { allow: true };
  return { allow: false, log: `shell: refused ${kind} to ${addressForLog(targetUrl)} (WalkScope opens no other page or program)` };
}

function addressForLog(targetUrl: string): string {
  if (!URL.canParse(targetUrl)) return 'an unreadable address';
  const url = new URL(targetUrl);
  const address = url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'file:' || url.protocol === `${appScheme}:` ? `${url.protocol}//${url.host}${url.pathname}` : `${url.protocol} address`;
  return address.length > 200 ? `${address.slice(0, 200)}...` : address;
}

/** Maps an app:// URL to a file inside the built renderer folder, refusing anything outside it. */
export function rendererFileFor(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return undefined;
  const path = decodeURIComponent(parsed.pathname);
  if (path.includes('..') || path.includes('\\')) return undefined;
  return path === '/' || path === '' ? 'index.html' : path.slice(1);
}

/** What the save dialog of a report download starts with. */
export interface SaveDialogStart {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

const reportKinds: Record<string, string> = { pdf: 'PDF report', html: 'HTML report', csv: 'CSV table', json: 'JSON data' };

/**
 * Downloads are the page's way to hand over an exported report: only blobs the app itself
 * made are accepted (nothing from elsewhere is ever saved), and each goes through a save
 * dialog that starts in `folder` with the report's own name. Returns null to refuse.
 */
export function reportSaveDialog(sourceUrl: string, suggestedName: string, folder: string): SaveDialogStart | null {
  if (!sourceUrl.startsWith(`blob:${appOrigin}/`)) return null;
  const name = suggestedName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'walkscope-report';
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const kind = reportKinds[extension];
  return {
    title: 'Save the report',
    defaultPath: join(folder, name),
    filters: kind ? [{ name: kind, extensions: [extension] }] : [],
  };
}
