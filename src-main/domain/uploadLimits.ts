import { formatBytes } from './units.js';

/**
 * How much a browser may upload into serve mode's upload folder: one file, everything waiting
 * to be imported together, and a share of the disk the data folder is on (an upload must never
 * fill the disk the database and the vault live on).
 */
export interface UploadLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  /** The share of the free disk one upload may take, measured when it starts (0.5: half). */
  maxShareOfFreeDisk: number;
}

export const defaultUploadLimits: UploadLimits = {
  maxFileBytes: 2 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
  maxShareOfFreeDisk: 0.5,
};

export interface UploadSituation {
  /** The upload's size: as declared (Content-Length) or as received so far. */
  fileBytes: number;
  /** Uploads already held: received and waiting for import, or still arriving. */
  heldBytes: number;
  /** Free space on the upload folder's disk when the upload started. */
  freeDiskBytes: number;
}

/** Why an upload of this size is refused (the detail of UPLOAD_TOO_LARGE), or undefined when it fits. */
export function uploadRefusal(situation: UploadSituation, limits: UploadLimits): string | undefined {
  const { fileBytes, heldBytes, freeDiskBytes } = situation;
  if (fileBytes > limits.maxFileBytes) return `it is ${formatBytes(fileBytes)}, over the ${formatBytes(limits.maxFileBytes)} limit for one file`;
  if (heldBytes + fileBytes > limits.maxTotalBytes)
    return `with the ${formatBytes(heldBytes)} of uploads still waiting to be imported it would pass the ${formatBytes(limits.maxTotalBytes)} limit for all uploads together; wait for those imports to finish`;
  const diskShare = Math.floor(freeDiskBytes * limits.maxShareOfFreeDisk);
  if (fileBytes > diskShare)
    return `it is ${formatBytes(fileBytes)}, more than ${Math.round(limits.maxShareOfFreeDisk * 100)}% of the ${formatBytes(freeDiskBytes)} free on the data folder's disk; free some space first`;
  return undefined;
}
