#!/usr/bin/env node
// The `walkscope` command. Runs the compiled CLI when the app has been built, otherwise the
// TypeScript sources through tsx (a development checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/main/cli/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src-main/cli/main.ts', import.meta.url));
let runCli;
if (existsSync(built) && !process.env.WALKSCOPE_FROM_SOURCE) {
  ({ runCli } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(pathToFileURL(source).href));
}
process.exit(await runCli(process.argv.slice(2)));
