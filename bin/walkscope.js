#!/usr/bin/env node
// The `walkscope` command. In a development checkout it runs the TypeScript sources through
// tsx (so it never runs a stale build); an installed copy without sources runs the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src-main/cli/main.ts', import.meta.url));
const built = fileURLToPath(new URL('../out/main/cli/main.js', import.meta.url));
let runCli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(pathToFileURL(source).href));
} else {
  ({ runCli } = await import(pathToFileURL(built).href));
}
process.exit(await runCli(process.argv.slice(2)));
