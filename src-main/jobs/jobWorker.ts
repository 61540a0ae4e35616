import { parentPort } from 'node:worker_threads';
import type { JobKind } from '../contract/entities.js';
import { AppError, errorMessage } from '../contract/errors.js';
import type { JobResult } from '../contract/jobs.js';
import { englishOf } from '../contract/phrase.js';
import { MediaInputServer } from '../filecrypt/mediaInputServer.js';
import { vaultKeyFromDatabaseKey } from '../filecrypt/vaultKey.js';
import { descriptorOf } from './jobKinds.js';
import type { JobExecution } from './jobKind.js';
import type { FromJobWorker, ToJobWorker } from './workerProtocol.js';

/** Entry point of a job's worker thread: runs one job and reports back. */
const port = parentPort;
if (!port) throw new Error('jobWorker must run in a worker thread');

const controller = new AbortController();
const send = (message: FromJobWorker) => port.postMessage(message);

port.on('message', (message: ToJobWorker) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  void run(message);
});

/** Imports only the work module of this kind, with params typed by the kind's schema. */
async function work<K extends JobKind>(kind: K, raw: unknown, execution: JobExecution): Promise<JobResult<K>> {
  const descriptor = descriptorOf(kind);
  const params = descriptor.params.parse(raw);
  const module = await descriptor.work();
  return module.default(params, execution);
}

async function run(message: Extract<ToJobWorker, { type: 'run' }>): Promise<void> {
  const { databaseKey } = message.context;
  const media = new MediaInputServer(databaseKey ? vaultKeyFromDatabaseKey(databaseKey.hex) : undefined);
  try {
    const result = await work(message.kind, message.params, {
      context: message.context,
      signal: controller.signal,
      progress: (progress, message) => send({ type: 'progress', progress, message: englishOf(message), phrase: message }),
      mediaInput: (path) => media.input(path),
    }).finally(() => media.close());
    send({ type: 'done', result });
  } catch (error) {
    // an encrypted input's loopback address names its file again in what the user reads
    const redact = (text: string) => media.redact(text);
    const cause = redact(error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error));
    if (controller.signal.aborted) {
      send({ type: 'failed', error: new AppError('JOB_CANCELLED').toReply(), cause });
    } else if (error instanceof AppError) {
      const reply = error.toReply();
      send({ type: 'failed', error: { ...reply, message: redact(reply.message) }, cause });
    } else {
      const detail = redact(error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200));
      send({ type: 'failed', error: { code: 'INTERNAL', message: errorMessage('INTERNAL', detail) }, cause });
    }
  }
}
