import type { Diagnosis, VideoProbe } from '../../src-main/contract/entities.js';
import type { Store } from '../../src-main/store/store.js';

/**
 * A generated cohort for study tests: patients with labels and registered video rows (no
 * real files behind them). Not clinical data: no labelled ASD gait dataset exists in public.
 */
export function syntheticProbe(durationSec: number): VideoProbe {
  return {
    container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264', pixelFormat: 'yuv420p', width: 1280, height: 720, displayWidth: 1280, displayHeight: 720,
    rotation: 0, durationSec, avgFps: 30, realFps: 30, variableFrameRate: false, frameCount: Math.round(durationSec * 30), bitRate: 2_000_000, hasAudio: false, audioCodec: null,
  };
}

export function addSyntheticPatients(store: Store, patients: Array<{ code: string; diagnosis: Diagnosis; videos: number }>): Map<string, number[]> {
  const videoIds = new Map<string, number[]>();
  let n = 0;
  for (const p of patients) {
    const patient = store.patients.create('test', p.code, { diagnosis: p.diagnosis });
    const ids: number[] = [];
    for (let v = 0; v < p.videos; v++) {
      n++;
      const sha = n.toString(16).padStart(64, '0');
      ids.push(store.videos.insert('test', { patientId: patient.id, kind: 'original', sourceVideoId: null, sha256: sha, vaultPath: `videos/00/${sha}.mp4`, originalName: `${p.code}_${v}.mp4`, originalPath: null, view: 'sagittal', sizeBytes: 1000, probe: syntheticProbe(6 + (n % 5)) }).id);
    }
    videoIds.set(p.code, ids);
  }
  return videoIds;
}
