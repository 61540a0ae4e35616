import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventNames } from '../contract/methods.js';
import { AppError } from '../contract/errors.js';
import { WalkScopeApp } from '../services/walkscopeApp.js';
import { OpenReadings } from '../services/openReadings.js';
import { mediaResponse } from './mediaProtocol.js';
import { chooseDataDir } from '../store/dataDir.js';
import { databaseKeyFileVariable, databaseKeyFromEnvironment } from '../store/databaseKey.js';
import { databaseKeyFromKeychain, keychainKeyFile, storeKeyInKeychain } from './keychainKey.js';
import {
  appOrigin,
  appScheme,
  ipcChannels,
  isTrustedSender,
  leaveDecision,
  type LeaveKind,
  mediaScheme,
  rendererCsp,
  reportSaveDialog,
  rendererFileFor,
  windowWebPreferences,
} from './windowPolicy.js';

/**
 * The Electron shell: one window, strict security, the contract over IPC, and two private
 * schemes (the built renderer and vault media). Everything else lives in the services,
 * which run the same way in serve mode and the CLI.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../../renderer');
const preloadPath = join(here, 'preload.cjs');

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: mediaScheme, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

// Air-gapped: nothing in WalkScope may reach the network, including Chromium's own services.
app.commandLine.appendSwitch('disable-background-networking');

let backend: WalkScopeApp | undefined;
/** Reading sessions the window entered and has not left: closing the window records their leave. */
const readings = new OpenReadings();
const leaveOpenReadings = () => (backend ? readings.leaveAll((method, payload) => backend!.dispatch(method, payload, { transport: 'electron', actor: backend!.actor })) : Promise.resolve(0));
let mainWindow: BrowserWindow | undefined;

/** Whether the page may go to `url` (see leaveDecision: never to another page or program); logs a refusal. */
function mayLeave(kind: LeaveKind, url: string): boolean {
  const decision = leaveDecision(kind, url);
  if (!decision.allow) (backend?.log ?? console.warn)(decision.log);
  return decision.allow;
}

function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    mayLeave('new-window', url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!mayLeave('navigation', url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayLeave('redirect', url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function createWindow(): Promise<void> {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: 'WalkScope',
    backgroundColor: '#f4f5f7',
    show: false,
    webPreferences: windowWebPreferences(preloadPath),
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = undefined;
    void leaveOpenReadings();
  });
  await window.loadURL(`${appOrigin}/index.html`);
}

async function start(): Promise<void> {
  const lock = app.requestSingleInstanceLock();
  if (!lock) {
    app.quit();
    return;
  }
  await app.whenReady();
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Exported reports leave the app only through a save dialog the user answers.
  ses.on('will-download', (event, item) => {
    const start = reportSaveDialog(item.getURL(), item.getFilename(), app.getPath('documents'));
    if (!start) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(start);
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    // Belt and braces for the air gap: only the app's own schemes and devtools are loaded.
    const allowed = details.url.startsWith(`${appScheme}:`) || details.url.startsWith(`${mediaScheme}:`) || details.url.startsWith('devtools:') || details.url.startsWith('data:') || details.url.startsWith('blob:');
    callback({ cancel: !allowed });
  });

  // userData holds data-location.json when hospital IT moved the data elsewhere (Settings, Data folder)
  const { dataDir, locationHome } = chooseDataDir(undefined, process.env, app.getPath('userData'));
  try {
    // the database key: the environment's, else the one kept in the OS keychain (keychainKey.ts)
    const keyFile = keychainKeyFile(app.getPath('userData'));
    if (process.argv.includes('--store-key-in-keychain')) {
      const fromEnvironment = databaseKeyFromEnvironment(dataDir);
      if (!fromEnvironment) throw new AppError('DATABASE_KEY_INVALID', `--store-key-in-keychain needs ${databaseKeyFileVariable} set to the key file to keep`);
      storeKeyInKeychain(safeStorage, keyFile, fromEnvironment);
      console.log(`The key from ${fromEnvironment.source} is now kept in the keychain (${keyFile}). Start WalkScope without ${databaseKeyFileVariable} from now on, and keep a copy of the key file somewhere safe.`);
    }
    const databaseKey = databaseKeyFromKeychain(safeStorage, keyFile);
    // the queue: WALKSCOPE_QUEUE and WALKSCOPE_MEDIA_FOLDER, else the one stored in Settings (the window takes no --queue)
    backend = await WalkScopeApp.open({ dataDir, transport: 'electron', queueFrom: { env: process.env }, ...(locationHome ? { dataLocationHome: locationHome } : {}), ...(databaseKey ? { databaseKey } : {}) });
  } catch (error) {
    // a missing or wrong key, a damaged database: say why in a window, never start half-open
    dialog.showErrorBox('WalkScope cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }

  protocol.handle(appScheme, async (request) => {
    const relative = rendererFileFor(request.url);
    if (!relative) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(join(rendererDir, relative));
      return new Response(body, { headers: { 'Content-Type': mimeTypes[extname(relative)] ?? 'application/octet-stream', 'Content-Security-Policy': rendererCsp } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  protocol.handle(mediaScheme, (request) => mediaResponse(backend!, request));

  ipcMain.handle(ipcChannels.call, async (event, method: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    if (!frame || !isTrustedSender(frame.url, frame === event.sender.mainFrame)) {
      return { ok: false, error: new AppError('UNAUTHORISED').toReply() };
    }
    const result = await backend!.dispatch(method, payload, { transport: 'electron', actor: backend!.actor });
    readings.observe(method, payload, result);
    return result;
  });
  for (const name of eventNames) {
    backend.events.on(name, (payload) => mainWindow?.webContents.send(ipcChannels.event, name, payload));
  }

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !backend) return;
    event.preventDefault();
    closing = true;
    const open = backend;
    void leaveOpenReadings()
      .then(() => open.close())
      .finally(() => app.quit());
  });
  await createWindow();
}

void start();
