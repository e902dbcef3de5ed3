/**
 * One refresh at a time per database. Postgres: a session advisory lock on a
 * dedicated connection. PGlite (one process per data folder): a lock file
 * holding the owner's pid, taken over when that process is gone.
 */
import { Failure } from '../../schema/errors.js';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_KEY = 4_242_001;

/** Another refresh holds the lock: wait for it or try later. */
export class LockHeldError extends Failure {
  constructor(holder: string) {
    super(`another modelfacts refresh is running on this database (${holder}); try again when it has finished`);
    this.name = 'LockHeldError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireFileLock(dir: string): () => void {
  const file = join(dir, 'refresh.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (pid && alive(pid) && pid !== process.pid) throw new LockHeldError(`pid ${pid}, lock file ${file}`);
      unlinkSync(file); // the holder died (kill -9): its lock is stale
    }
  }
  throw new LockHeldError(`lock file ${file}`);
}
