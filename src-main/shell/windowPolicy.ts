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

/** Maps an app:// URL to a file inside the built renderer folder, refusing anything outside it. */
export function rendererFileFor(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return undefined;
  const path = decodeURIComponent(parsed.pathname);
  if (path.includes('..') || path.includes('\\')) return undefined;
  return path === '/' || path === '' ? 'index.html' : path.slice(1);
}
