/**
 * Deltas between two versions of an archived page, in Fossil's delta format
 * (https://fossil-scm.org/home/doc/tip/www/delta_format.wiki). fossil-delta
 * encodes them; this module applies them: the library's decoder builds its
 * output one byte at a time in a JavaScript array (130–220 ms for the 1.7 MB
 * models.dev file on a loaded machine), while a delta is mostly copies of runs
 * of the base, done here as block copies into one buffer (7–9 ms). The
 * checksum the format carries is not read: the caller checks the rebuilt page
 * against its sha256.
 */
import { createDelta } from 'fossil-delta';

/** A delta that does not apply: truncated, corrupt, or meant for another base. */
export class BadDeltaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadDeltaError';
  }
}

/** The delta that turns `base` into `target`. */
export function encodeDelta(base: Uint8Array, target: Uint8Array): Buffer {
  const d = createDelta(base, target);
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

// the format's integers: base 64, digits 0-9 A-Z _ a-z ~, most significant first
const DIGIT = new Int8Array(128).fill(-1);
'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~'.split('').forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));

/** `base` with `delta` applied: the exact bytes the delta was made for, or a BadDeltaError. */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  let pos = 0;
  const int = (): number => {
    const start = pos;
    let v = 0;
    while (pos < delta.length) {
      const c = delta[pos]!;
      const d = c < 128 ? DIGIT[c]! : -1;
      if (d < 0) break;
      v = v * 64 + d;
      pos++;
    }
    if (pos === start) throw new BadDeltaError(`delta: a number expected at byte ${start}`);
    if (v > Number.MAX_SAFE_INTEGER) throw new BadDeltaError(`delta: number out of range at byte ${start}`);
    return v;
  };
  const op = (): number => {
    if (pos >= delta.length) throw new BadDeltaError('delta: truncated');
    return delta[pos++]!;
  };
  const size = int();
  if (op() !== 0x0a) throw new BadDeltaError('delta: the target size is not followed by a newline');
  // read and check every operation first, so a damaged stated size never decides how much memory is taken
  const ops: number[] = []; // triples: kind (0 copy, 1 insert), start, length
  let at = 0;
  let done = false;
  while (!done && pos < delta.length) {
    const n = int();
    switch (op()) {
      case 0x40: {
        // n@offset, : copy n bytes of the base
        const offset = int();
        if (op() !== 0x2c) throw new BadDeltaError('delta: a copy is not followed by a comma');
        if (offset + n > base.length) throw new BadDeltaError(`delta: copy past the end of the base (${offset}+${n} > ${base.length})`);
        ops.push(0, offset, n);
        at += n;
        break;
      }
      case 0x3a: {
        // n:bytes : insert the n bytes that follow
        if (pos + n > delta.length) throw new BadDeltaError('delta: insert past the end of the delta');
        ops.push(1, pos, n);
        pos += n;
        at += n;
        break;
      }
      case 0x3b:
        // checksum; : the end
        if (pos !== delta.length) throw new BadDeltaError('delta: bytes after its end');
        done = true;
        break;
      default:
        throw new BadDeltaError(`delta: unknown operator at byte ${pos - 1}`);
    }
    if (at > size) throw new BadDeltaError('delta: output larger than stated');
  }
  if (!done) throw new BadDeltaError('delta: unterminated');
  if (at !== size) throw new BadDeltaError(`delta: output of ${at} bytes, ${size} stated`);
  const out = Buffer.allocUnsafe(size);
  at = 0;
  for (let i = 0; i < ops.length; i += 3) {
    const from = ops[i] === 0 ? base : delta;
    out.set(from.subarray(ops[i + 1]!, ops[i + 1]! + ops[i + 2]!), at);
    at += ops[i + 2]!;
  }
  return out;
}
