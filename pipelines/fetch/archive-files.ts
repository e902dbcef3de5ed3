/**
 * What a replay archive may serve: body files that really lie inside the
 * archive folder (after following symlinks), that are regular files (not a
 * FIFO that blocks forever, a device like /dev/zero, or a directory) and that
 * fit the fetch size cap. Header names and values are checked like an HTTP
 * parser would, so a CR/LF in the manifest cannot split a response.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';

/** The largest body an archive may hold: the fetcher's own cap on a response. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** RFC 9110 token characters for a field name; a value is visible ASCII, space, tab or obs-text (no CR, LF, NUL). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const ArchiveHeaders = z.record(z.string(), z.string()).superRefine((headers, ctx) => {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `header name ${JSON.stringify(name)} is not an HTTP token` });
    else if (!HEADER_VALUE.test(value)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `header ${name} holds a control character (CR, LF or NUL) or a character beyond Latin-1` });
    }
  }
});

/** A body path is unusable; the message names the entry. The caller wraps it as an ArchiveError. */
export class BodyFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BodyFileError';
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The real path of an entry's body, checked: inside the archive, a regular file, within the cap. */
export function checkedBodyFile(dir: string, body: string, cap = MAX_BODY_BYTES): string {
  const root = realpathSync(dir);
  const lexical = resolve(root, body);
  if (!inside(root, lexical)) throw new BodyFileError(`body ${body} points outside the folder`);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (cause) {
    throw new BodyFileError(`body file ${body} is missing`, { cause });
  }
  // a symlink (or a symlinked folder) may lead out even when the written path does not
  if (!inside(root, real)) throw new BodyFileError(`body ${body} resolves to ${real}, outside the folder`);
  statRegular(real, body, cap);
  return real;
}

/** Opens without blocking (a FIFO would wait for a writer), then checks what was opened. */
function openChecked(file: string, label: string, cap: number): { fd: number; size: number } {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new BodyFileError(`body ${label} is not a regular file`);
    if (st.size > cap) throw new BodyFileError(`body ${label} has ${st.size} bytes, more than the ${cap}-byte cap`);
    return { fd, size: st.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function statRegular(file: string, label: string, cap: number): void {
  closeSync(openChecked(file, label, cap).fd);
}

/** Reads a checked body file again at serve time (it may have changed since the archive was loaded). */
export function readBodyFile(file: string, cap = MAX_BODY_BYTES): Buffer {
  const { fd, size } = openChecked(file, file, cap);
  try {
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
