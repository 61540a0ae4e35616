import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

export type BackendChoice = 'auto' | 'wasm' | 'cpu';

let ready: Promise<string> | undefined;

/**
 * Starts tfjs once per thread. Order: wasm (SIMD, loaded from the package folder on disk, never
 * fetched), else the pure-JS cpu backend. Returns the backend actually in use.
 * (tfjs-node and the WebGPU backend are not wired here yet: see the issue notes.)
 */
export function initTf(choice: BackendChoice = 'auto'): Promise<string> {
  ready ??= (async () => {
    if (choice !== 'cpu') {
      try {
        const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist').replace('app.asar', 'app.asar.unpacked');
        setWasmPaths(`${wasmDir}/`);
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return tf.getBackend();
        }
      } catch {
        // fall through to cpu
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

export { tf };
