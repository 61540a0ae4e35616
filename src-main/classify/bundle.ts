import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { AppError } from '../contract/errors.js';
import { readModelMetadata, type ModelMetadata } from '../runtime/modelMetadata.js';
import { bundleManifestSchema, type BundleManifest } from './bundleManifest.js';

/** One check made on a bundle before use, for the import report and the provenance record. */
export interface BundleCheck {
  name: 'manifest-schema' | 'sha256' | 'onnx-loads' | 'input-shape' | 'output-shape';
  ok: true;
  detail: string;
}

export interface OpenedBundle {
  /** Folder holding model.onnx and manifest.json (a temporary folder for a zip). */
  dir: string;
  modelPath: string;
  manifest: BundleManifest;
  sha256: string;
  /** What was checked (every check passed: a bundle failing one is refused). */
  checks: BundleCheck[];
  /** Where the bundle came from (folder or zip). */
  source: string;
  /** Removes the temporary folder of an extracted zip. */
  dispose(): Promise<void>;
}

/** SHA-256 of a file, streamed (model files reach hundreds of MB). */
export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Extracts model.onnx and manifest.json (at the root or in one folder) from a zip. */
async function extractZip(zipPath: string, into: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (error, file) => (error || !file ? reject(error ?? new Error('unreadable zip')) : resolve(file))),
  );
  const wanted = new Set(['model.onnx', 'manifest.json']);
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = basename(entry.fileName);
      if (!wanted.has(name) || entry.fileName.split('/').length > 2) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error('unreadable entry'));
        pipeline(stream, createWriteStream(join(into, name))).then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
  zip.close();
}

function dimsMatch(actual: ReadonlyArray<number | string>, expected: ReadonlyArray<number>): boolean {
  // the first (batch) dimension may be symbolic; every other must equal the manifest
  return actual.length === expected.length && actual.every((d, i) => (i === 0 ? true : d === expected[i]));
}

/**
 * Opens a bundle (a folder or a .zip holding model.onnx and manifest.json) and checks it:
 * manifest schema, SHA-256 of model.onnx, the ONNX file loads, and its input and output
 * names and shapes agree with the manifest. Any failure is AppError('MODEL_INVALID', why).
 */
export async function openBundle(source: string): Promise<OpenedBundle> {
  const info = await stat(source).catch((cause: unknown) => {
    throw new AppError('FILE_NOT_FOUND', source, { cause });
  });
  let dir = source;
  let temporary: string | undefined;
  if (!info.isDirectory()) {
    temporary = await mkdtemp(join((await import('node:os')).tmpdir(), 'walkscope-bundle-'));
    dir = temporary;
    await extractZip(source, dir).catch(async (cause: unknown) => {
      await rm(temporary!, { recursive: true, force: true });
      throw new AppError('MODEL_INVALID', `${basename(source)} is neither a bundle folder nor a readable zip file`, { cause });
    });
  }
  const dispose = async () => {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  };
  try {
    const manifestText = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => {
      throw new AppError('MODEL_INVALID', 'the bundle has no manifest.json');
    });
    let raw: unknown;
    try {
      raw = JSON.parse(manifestText);
    } catch {
      throw new AppError('MODEL_INVALID', 'manifest.json is not valid JSON');
    }
    const parsed = bundleManifestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('MODEL_INVALID', `manifest.json: ${issue.path.join('.') || 'manifest'}: ${issue.message}`);
    }
    const manifest = parsed.data;
    const checks: BundleCheck[] = [{ name: 'manifest-schema', ok: true, detail: `manifest.json: ${manifest.id} ${manifest.version}` }];
    const modelPath = join(dir, 'model.onnx');
    await stat(modelPath).catch(() => {
      throw new AppError('MODEL_INVALID', 'the bundle has no model.onnx');
    });
    const sha256 = await sha256Of(modelPath);
    if (sha256 !== manifest.modelSha256) {
      throw new AppError('MODEL_INVALID', `model.onnx does not match the manifest's SHA-256 (found ${sha256.slice(0, 12)}…, expected ${manifest.modelSha256.slice(0, 12)}…): the file was changed or damaged`);
    }
    checks.push({ name: 'sha256', ok: true, detail: `model.onnx SHA-256 ${sha256}` });
    let model: ModelMetadata;
    try {
      model = await readModelMetadata(modelPath);
    } catch (cause) {
      throw new AppError('MODEL_INVALID', 'model.onnx is not a loadable ONNX model (corrupt or unsupported)', { cause });
    }
    const input = model.inputMetadata.find((m) => m.name === manifest.input.name);
    const output = model.outputMetadata.find((m) => m.name === manifest.output.name);
    if (!input || !input.isTensor) throw new AppError('MODEL_INVALID', `the model has no input named "${manifest.input.name}" (it has ${model.inputNames.join(', ')})`);
    if (!output || !output.isTensor) throw new AppError('MODEL_INVALID', `the model has no output named "${manifest.output.name}" (it has ${model.outputNames.join(', ')})`);
    const expectedInput = [1, 3, manifest.input.frames, manifest.input.size, manifest.input.size];
    if (!dimsMatch(input.shape, expectedInput)) {
      throw new AppError('MODEL_INVALID', `the manifest says input [N, 3, ${manifest.input.frames}, ${manifest.input.size}, ${manifest.input.size}] but the model expects [${input.shape.join(', ')}]`);
    }
    if (manifest.output.kind === 'features') {
      const size = manifest.output.featureSize;
      if (!dimsMatch(output.shape, [1, size])) throw new AppError('MODEL_INVALID', `the manifest says ${size} features per clip but the model's output is [${output.shape.join(', ')}], expected [N, ${size}]`);
    } else if (!dimsMatch(output.shape, [1, 1])) throw new AppError('MODEL_INVALID', `the model's output is [${output.shape.join(', ')}], expected one score per clip [N, 1]`);
    checks.push({ name: 'onnx-loads', ok: true, detail: `onnxruntime-node ${model.runtimeVersion} loaded model.onnx` });
    checks.push({ name: 'input-shape', ok: true, detail: `${input.name} [${input.shape.join(', ')}] float32` });
    checks.push({ name: 'output-shape', ok: true, detail: `${output.name} [${output.shape.join(', ')}]` });
    if (input.type !== 'float32') throw new AppError('MODEL_INVALID', `the model's input is ${input.type}, expected float32`);
    return { dir, modelPath, manifest, sha256, checks, source, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Copies a checked bundle into a folder of its own (the vault). */
export async function copyBundle(bundle: OpenedBundle, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const name of ['model.onnx', 'manifest.json']) {
    await pipeline(createReadStream(join(bundle.dir, name)), createWriteStream(join(target, name)));
  }
}
