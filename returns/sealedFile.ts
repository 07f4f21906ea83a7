import { decrypt, encrypt } from '../security/codec';
import type { KeyRing } from '../security/keys';

/**
 * A return kept at rest: its bytes sealed (AES-256-GCM) with the key ring's current key. The file
 * starts with a line naming the format, the key and what the file is; that line is bound into the
 * seal, so a file renamed as another return, or its header changed, does not open.
 */

const FORMAT = 'reconnect-cases sealed return v1';

export function sealReturn(ring: KeyRing, plain: Uint8Array, name: string): Buffer {
  const key = ring.keys.get(ring.current);
  if (!key) throw new Error(`current key ${ring.current} is not in the key ring`);
  const header = Buffer.from(`${JSON.stringify({ format: FORMAT, keyId: ring.current, name })}\n`);
  return Buffer.concat([header, Buffer.from(encrypt(plain, key, header))]);
}

/** Opens a sealed return with whichever key of the ring sealed it; `name` must be the one it was sealed as. */
export function openReturn(ring: KeyRing, sealed: Uint8Array, name: string): Buffer {
  const buf = Buffer.from(sealed);
  const end = buf.indexOf(0x0a);
  if (end < 0) throw new Error('not a sealed return');
  const header = buf.subarray(0, end + 1);
  const meta = JSON.parse(header.toString('utf8')) as { format?: string; keyId?: string; name?: string };
  if (meta.format !== FORMAT) throw new Error('not a sealed return');
  if (meta.name !== name) throw new Error(`this file is sealed as "${String(meta.name)}", not "${name}"`);
  const key = meta.keyId ? ring.keys.get(meta.keyId) : undefined;
  if (!key) throw new Error(`key ${String(meta.keyId)} is not in the key ring`);
  return Buffer.from(decrypt(buf.subarray(end + 1), key, header));
}
