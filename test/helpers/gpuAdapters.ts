import type { AdapterFacts } from '../../src-main/runtime/adapterFacts.js';

/**
 * WebGPU adapters as they describe themselves, for the tests of the software-adapter rule and
 * of the stage 1 and stage 2 choices made with it. `swiftshader` is what Dawn reports on
 * Chromium's SwiftShader Vulkan driver here; the others are written from the vendors' names.
 */
export const swiftshader: AdapterFacts = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true };
export const llvmpipe: AdapterFacts = { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
/** Windows' software rasteriser (WARP) under its own name. */
export const warp: AdapterFacts = { vendor: 'microsoft', architecture: '', device: '', description: 'Direct3D WARP' };
export const basicRender: AdapterFacts = { vendor: 'microsoft', architecture: '', device: '', description: 'Microsoft Basic Render Driver' };
/** Dawn's fallback flag on an adapter whose name matches no rasteriser. */
export const fallback: AdapterFacts = { vendor: 'google', architecture: '', device: '', description: 'Dawn adapter', isFallbackAdapter: true };
export const nvidia: AdapterFacts = { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false };
export const amd: AdapterFacts = { vendor: 'amd', architecture: 'rdna-3', device: '', description: 'AMD Radeon RX 7900 XTX', isFallbackAdapter: false };
export const apple: AdapterFacts = { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2', isFallbackAdapter: false };
export const intel: AdapterFacts = { vendor: 'intel', architecture: 'gen-12lp', device: '', description: 'Intel(R) UHD Graphics 770' };
