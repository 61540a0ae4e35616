import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

function electronTypesInstalled(): boolean {
  try {
    require.resolve('electron/electron.d.ts', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

async function typeErrors(command: string, args: string[]): Promise<string[]> {
  try {
    await execFileAsync(process.execPath, [require.resolve(command, { paths: [root] }), ...args], { cwd: root, maxBuffer: 32 * 1024 * 1024 });
    return [];
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    return output.split('\n').filter((line) => /error/i.test(line));
  }
}

/** The strict TypeScript build is part of the test suite, so a type error fails `npm test`. */
describe('type checking (TypeScript strict, one tsconfig per runtime)', () => {
  it('main process, services, CLI and workers (tsconfig.main.json)', async () => {
    let errors = await typeErrors('typescript/bin/tsc', ['-p', 'tsconfig.main.json', '--noEmit', '--pretty', 'false']);
    if (!electronTypesInstalled()) {
      console.warn('[walkscope tests] the electron package is not installed, so src-main/shell is not type-checked (install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci).');
      errors = errors.filter((line) => !line.startsWith('src-main/shell/'));
    }
    expect(errors).toEqual([]);
  });

  it('the renderer, without Node types (tsconfig.renderer.json + svelte-check)', async () => {
    expect(await typeErrors('typescript/bin/tsc', ['-p', 'tsconfig.renderer.json', '--noEmit', '--pretty', 'false'])).toEqual([]);
    const svelte = await typeErrors('svelte-check/bin/svelte-check', ['--tsconfig', 'tsconfig.renderer.json', '--threshold', 'error', '--output', 'machine']);
    expect(svelte.filter((line) => !/COMPLETED/.test(line))).toEqual([]);
  });

  it('tests and tools (tsconfig.json)', async () => {
    expect(await typeErrors('typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'])).toEqual([]);
  });
});
