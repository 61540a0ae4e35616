/**
 * Is there a real (hardware) GPU for onnxruntime's WebGPU provider? Asks Dawn (the `webgpu`
 * npm package) for its adapter; software rasterisers (SwiftShader, llvmpipe) do not count,
 * because they are slower than the CPU provider.
 */
let cached: Promise<{ real: boolean; description: string }> | undefined;

export function probeGpuAdapter(): Promise<{ real: boolean; description: string }> {
  cached ??= (async () => {
    try {
      const { create } = (await import('webgpu')) as { create: (flags: string[]) => { requestAdapter(): Promise<unknown> } };
      const gpu = create([]);
      const adapter = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string; description?: string; device?: string } } | null;
      if (!adapter) return { real: false, description: 'no GPU adapter' };
      const info = adapter.info ?? {};
      const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
      const software = /swiftshader|llvmpipe|software|lavapipe|microsoft basic render/i.test(description);
      return { real: !software, description };
    } catch (error) {
      return { real: false, description: `no WebGPU: ${error instanceof Error ? error.message : String(error)}` };
    }
  })();
  return cached;
}
