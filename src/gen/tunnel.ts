/** Encodings of the DNS tunnel's labels: what dns.py-style tools put in front of the domain. */
import type { Rng } from './prng.js';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function base32(bytes: Uint8Array): string {
  let out = '', bits = 0, val = 0;
  for (const b of bytes) {
    val = (val << 8) | b; bits += 8;
    while (bits >= 5) { out += B32[(val >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(val << (5 - bits)) & 31];
  return out;
}

/**
 * One label carrying a chunk: a little-endian chunk counter followed by payload bytes.
 * base64: standard alphabet without padding; chunks whose encoding would contain + or / are
 * re-drawn (the tool keeps labels to letters and digits), which is why the real labels are alphanumeric.
 * The counter's own bytes fix the first characters, so re-drawing cannot help there: pass only
 * counters that `counterFits` accepts.
 */
export function encodeTunnelLabel(rng: Rng, enc: 'base64' | 'hex' | 'base32' | 'base64url', len: number, counter: number): string {
  if (enc === 'hex') {
    const b = rng.bytes(Math.ceil(len / 2));
    b[0] = counter & 255; b[1] = (counter >> 8) & 255;
    return Buffer.from(b).toString('hex').slice(0, len);
  }
  if (enc === 'base32') {
    const b = rng.bytes(Math.ceil(len * 5 / 8));
    b[0] = counter & 255; b[1] = (counter >> 8) & 255; b[2] = 0;
    return base32(b).slice(0, len);
  }
  const nbytes = Math.ceil(len * 3 / 4);
  for (let tries = 0; ; tries++) {
    const b = rng.bytes(nbytes);
    b[0] = counter & 255; b[1] = (counter >> 8) & 255; b[2] = 0; b[3] = 0;
    const s = Buffer.from(b).toString(enc === 'base64url' ? 'base64url' : 'base64').replace(/=+$/, '').slice(0, len);
    if (enc === 'base64url' || !/[+/]/.test(s) || tries > 50) return s;
  }
}

/** Whether the chunk counter's bytes leave a base64 label alphanumeric (a low byte ≥ 248 encodes to `+` or `/`). */
export function counterFits(enc: 'base64' | 'hex' | 'base32' | 'base64url', counter: number): boolean {
  if (enc !== 'base64') return true;
  return !/[+/]/.test(Buffer.from([counter & 255, (counter >> 8) & 255, 0]).toString('base64'));
}
