// `npm start`: builds WalkScope and opens the desktop app. Electron's binary is fetched when
// Electron is installed; where that was impossible (an offline build machine), say so plainly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error(
    'The Electron desktop binary is not installed on this machine, so the desktop window cannot open; run `npm run serve` to use WalkScope in your browser instead.',
  );
  process.exit(1);
}

const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// arguments after `npm start --` reach the app (--store-key-in-keychain)
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
