/**
 * A model bundle given as a folder (dropped, or picked with a folder picker): its name and the
 * bundle's files in it, and the import source they make once uploaded. Only model.onnx and
 * manifest.json are sent; anything else in the folder stays on the user's machine.
 */
import type { ImportSource, ModelImportSource } from '../../../src-main/contract/methods.js';

export interface BundleFolder {
  /** The folder's own name, as the user sees it. */
  folderName: string;
  /** Its manifest.json and model.onnx (those that are there). */
  files: File[];
}

export const bundleFileNames: readonly string[] = ['manifest.json', 'model.onnx'];

/**
 * The bundle folder among files picked with `<input webkitdirectory>` (paths "folder/…/name"):
 * the folder holding the shallowest manifest.json, else the picked folder itself.
 */
export function bundleFolderOfPicked(files: readonly File[]): BundleFolder | null {
  const withParts = files.map((file) => ({ file, parts: (file.webkitRelativePath || file.name).split('/').filter(Boolean) }));
  if (withParts.length === 0) return null;
  const manifests = withParts.filter((f) => f.parts.at(-1) === 'manifest.json').sort((a, b) => a.parts.length - b.parts.length);
  const folder = manifests[0] ? manifests[0].parts.slice(0, -1) : withParts[0]!.parts.slice(0, 1);
  const inFolder = withParts.filter((f) => f.parts.length === folder.length + 1 && folder.every((part, i) => f.parts[i] === part) && bundleFileNames.includes(f.parts.at(-1)!));
  return { folderName: folder.at(-1) ?? withParts[0]!.parts[0]!, files: inFolder.map((f) => f.file) };
}

/** The bundle files at the top of a dropped folder (the browser's directory entry). */
export async function bundleFolderOfEntry(entry: FileSystemDirectoryEntry): Promise<BundleFolder> {
  const reader = entry.createReader();
  const entries: FileSystemEntry[] = [];
  // readEntries gives a batch at a time; an empty batch ends the folder
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  const wanted = entries.filter((e): e is FileSystemFileEntry => e.isFile && bundleFileNames.includes(e.name));
  const files = await Promise.all(wanted.map((e) => new Promise<File>((resolve, reject) => e.file(resolve, reject))));
  return { folderName: entry.name, files };
}

/**
 * The import source of a folder's uploaded files: the uploads as one folder (serve mode), or,
 * where the files are on this machine (the desktop app), the folder they are in.
 */
export function folderImportSource(folderName: string, files: readonly File[], sources: readonly ImportSource[]): ModelImportSource {
  const first = sources[0];
  if (first?.kind === 'path') return { kind: 'path', path: first.path.replace(/[/\\][^/\\]*$/, '') };
  return {
    kind: 'uploadFolder',
    folderName: folderName.slice(0, 255),
    files: sources.map((source, i) => {
      if (source.kind !== 'upload') throw new Error(`unexpected import source ${source.kind}`);
      return { uploadId: source.uploadId, fileName: files[i]!.name };
    }),
  };
}
