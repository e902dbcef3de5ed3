/**
 * One refresh at a time per database. Postgres: a session advisory lock on a
 * dedicated connection. PGlite (one process per data folder): a lock file
 * holding the owner's pid and the time that process started, taken over when
 * that process is gone — or when the pid now belongs to another process that
 * started later (pids are reused after a kill -9 and a reboot).
 */
import { Failure } from '../../schema/errors.js';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from './process-start.js';

export const LOCK_KEY = 4_242_001;

/** Another refresh holds the lock: wait for it or try later. */
export class LockHeldError extends Failure {
  constructor(holder: string) {
    super(`another modelfacts refresh is running on this database (${holder}); try again when it has finished`);
    this.name = 'LockHeldError';
  }
}

interface LockOwner {
  pid: number;
  /** The owner's start time (see process-start.ts); absent in lock files of older versions. */
  started?: string;
}

function readOwner(file: string): LockOwner {
  const text = readFileSync(file, 'utf8').trim();
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as LockOwner;
    return { pid: Number(parsed.pid), started: parsed.started };
  } catch {
    // a torn write (the owner died while writing): nobody owns it
    return { pid: 0 };
  }
}

/** Is the process that wrote the lock still running (and not a newer process with its pid)? */
function ownerAlive(owner: LockOwner): boolean {
  if (!owner.pid || !alive(owner.pid)) return false;
  const now = processStartTime(owner.pid);
  return owner.started === undefined || now === undefined || now === owner.started;
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
      writeSync(fd, JSON.stringify({ pid: process.pid, started: processStartTime(process.pid) }));
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
      const owner = readOwner(file);
      if (owner.pid !== process.pid && ownerAlive(owner)) throw new LockHeldError(`pid ${owner.pid}, lock file ${file}`);
      unlinkSync(file); // the holder died (kill -9), or its pid now belongs to another process: the lock is stale
    }
  }
  throw new LockHeldError(`lock file ${file}`);
}
