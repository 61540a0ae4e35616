/**
 * The parts of tfjs stage 1 uses, instead of the whole `@tensorflow/tfjs` (which also loads
 * layers, data and the WebGL backend, none of them used in Node): the core, graph models, and
 * the plain-JavaScript backend ('cpu', the last fallback). The wasm and WebGPU backends are
 * imported by tfRuntime.ts. These packages come with `@tensorflow/tfjs`, at its version.
 */
export * from '@tensorflow/tfjs-core';
export { loadGraphModel, GraphModel } from '@tensorflow/tfjs-converter';
import '@tensorflow/tfjs-backend-cpu';
