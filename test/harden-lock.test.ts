/**
 * The embedded database's refresh lock names its owner by pid and process
 * start time, so a pid reused by another live process is not taken for a
 * running refresh, while a real live owner still holds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireFileLock, LockHeldError } from '../pipelines/store/lock.js';
import { processStartTime } from '../pipelines/store/process-start.js';

describe('PGlite lock file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mf-lock-'));
  const file = join(dir, 'refresh.lock');
  let other: ChildProcess;
  beforeAll(() => {
    other = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  afterAll(() => {
    other.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records pid and start time', () => {
    const release = acquireFileLock(dir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pid: process.pid, started: processStartTime(process.pid) });
    release();
  });

  it('a live process with the recorded pid and start time holds the lock', () => {
    writeFileSync(file, JSON.stringify({ pid: other.pid, started: processStartTime(other.pid!) }));
    expect(() => acquireFileLock(dir)).toThrow(LockHeldError);
    expect(() => acquireFileLock(dir)).toThrow(new RegExp(`pid ${other.pid}, lock file`));
  });

  it('a live process that reused the pid (another start time) does not: the stale lock is taken over', () => {
    writeFileSync(file, JSON.stringify({ pid: other.pid, started: '1' }));
    const release = acquireFileLock(dir);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('a dead owner, or a torn lock file, is stale', () => {
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 17, started: '5' }));
    acquireFileLock(dir)();
    writeFileSync(file, '{"pid":');
    acquireFileLock(dir)();
  });
});
