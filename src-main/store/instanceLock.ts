import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Each process using a data folder leaves a marker named after its pid. Markers of dead
 * processes are removed; `isAlone` tells whether crash clean-up (the vault sweep) is safe.
 */
export class InstanceMarker {
  private readonly file: string;
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, String(process.pid));
    writeFileSync(this.file, new Date().toISOString(), { mode: 0o600 });
  }

  isAlone(): boolean {
    let others = 0;
    for (const name of readdirSync(this.dir)) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      if (processAlive(pid)) others++;
      else rmSync(join(this.dir, name), { force: true });
    }
    return others === 0;
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
