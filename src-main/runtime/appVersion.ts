import { readFileSync } from 'node:fs';

/** The version in package.json, read once. */
export const appVersion: string = (() => {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'walkscope' && pkg.version) return pkg.version;
    } catch {
      // try the next location (source tree vs built output)
    }
  }
  return '0.0.0';
})();
