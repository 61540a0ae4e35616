/** Saving a file the back end made (a report, a CSV export) through the browser's download. */

export interface FileReply {
  fileName: string;
  mimeType: string;
  contentBase64: string;
}

/** Offers the file for download under its name (as the study report download does). */
export function downloadFile(file: FileReply): void {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
