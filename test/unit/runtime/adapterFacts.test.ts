import { describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter } from '../../../src-main/runtime/adapterFacts.js';
import { amd, apple, basicRender, fallback, intel, llvmpipe, nvidia, swiftshader, warp } from '../../helpers/gpuAdapters.js';

describe('the software-adapter rule', () => {
  it('tells software adapters from GPUs by what they say of themselves', () => {
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ ...swiftshader, isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter(llvmpipe)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', device: '', description: 'lavapipe' })).toBe(true);
    expect(isSoftwareAdapter(basicRender)).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(isSoftwareAdapter(intel)).toBe(false);
  });

  it('counts WARP, softpipe, a "CPU" adapter and Dawn\'s fallback adapter as software', () => {
    expect(isSoftwareAdapter(warp)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', device: '', description: 'softpipe' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'unknown', architecture: '', device: 'CPU', description: '' })).toBe(true);
    expect(isSoftwareAdapter(fallback)).toBe(true);
    expect(isSoftwareAdapter({ ...fallback, isFallbackAdapter: false })).toBe(false);
  });

  it('counts real NVIDIA, AMD, Apple and Intel GPUs as hardware', () => {
    expect([nvidia, amd, apple, intel].map(isSoftwareAdapter)).toEqual([false, false, false, false]);
  });

  it('describes an adapter by vendor, architecture and description (else device), each word group once', () => {
    expect(describeAdapter(swiftshader)).toBe('google swiftshader SwiftShader driver 5.0.0');
    expect(describeAdapter(nvidia)).toBe('nvidia ampere NVIDIA GeForce RTX 3060');
    expect(describeAdapter({ vendor: 'apple', architecture: 'apple', device: '', description: '' })).toBe('apple');
    expect(describeAdapter({ vendor: '', architecture: '', device: 'CPU', description: '' })).toBe('CPU');
    expect(describeAdapter({ vendor: ' ', architecture: '', device: '', description: '' })).toBe('unnamed adapter');
  });
});
