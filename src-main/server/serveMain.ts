import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseDataDir } from '../store/dataDir.js';
import { WalkScopeApp } from '../services/walkscopeApp.js';
import { defaultUploadLimits } from '../domain/uploadLimits.js';
import { formatBytes, parseByteSize } from '../domain/units.js';
import { startServeServer } from './serveServer.js';

const queueSourceWords = { flag: 'from --queue', environment: 'from WALKSCOPE_QUEUE', setting: 'from the settings', default: 'the default' } as const;

/** A size option such as `--upload-max-file 4G`; anything else stops serve mode with a sentence. */
function byteSizeOption(flag: string, text: string): number {
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes <= 0) {
    console.error(`${flag} takes a size such as 2G, 500M or a number of bytes, not "${text}".`);
    process.exit(2);
  }
  return bytes;
}

/**
 * `npm run serve`: WalkScope's services behind a loopback web server, for using the app in a
 * browser on this machine and for end-to-end tests. Prints the one address that works.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.WALKSCOPE_PORT ?? '0' },
      'data-dir': { type: 'string' },
      'static-dir': { type: 'string' },
      'upload-max-file': { type: 'string' },
      'upload-max-total': { type: 'string' },
      queue: { type: 'string' },
      'media-folder': { type: 'string' },
    },
  });
  const uploadLimits = {
    ...defaultUploadLimits,
    ...(values['upload-max-file'] === undefined ? {} : { maxFileBytes: byteSizeOption('--upload-max-file', values['upload-max-file']) }),
    ...(values['upload-max-total'] === undefined ? {} : { maxTotalBytes: byteSizeOption('--upload-max-total', values['upload-max-total']) }),
  };
  const staticDir = values['static-dir'] ?? fileURLToPath(new URL('../../out/renderer', import.meta.url));
  if (!existsSync(staticDir)) {
    console.error(`The screens are not built yet (${staticDir} is missing). Run \`npm run build:renderer\` first, or use \`npm run serve\`.`);
    process.exit(1);
  }
  const { dataDir, locationHome } = chooseDataDir(values['data-dir']);
  const queueFrom = { flags: { queue: values.queue, mediaFolder: values['media-folder'] }, env: process.env };
  const app = await WalkScopeApp.open({ dataDir, transport: 'serve', queueFrom, ...(locationHome ? { dataLocationHome: locationHome } : {}) });
  const server = await startServeServer({ app, staticDir, port: Number(values.port), uploadLimits });
  console.log(`WalkScope is serving at ${server.url}`);
  console.log(`Data folder: ${dataDir}`);
  const queue = app.queueInUse;
  if (queue.url) console.log(`Analysis jobs go to the workers of ${queue.url} (${queueSourceWords[queue.source]}); shared media in ${queue.mediaFolder}.`);
  console.log(`Uploads: up to ${formatBytes(uploadLimits.maxFileBytes)} a file, ${formatBytes(uploadLimits.maxTotalBytes)} waiting for import at once, and never more than half of the free disk.`);
  console.log('Only this machine can connect, and only with the address above. Press Ctrl+C to stop.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
