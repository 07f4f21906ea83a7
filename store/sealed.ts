import { decrypt, encrypt } from '../security/codec';
import type { KeyRing } from '../security/keys';

/**
 * Personal data kept in the record store: JSON sealed with the key ring's current key, bound to
 * where it belongs (`binding`, for example the table and case id), so a sealed value copied to
 * another row does not open.
 */
export function seal(ring: KeyRing, value: unknown, binding: string): { keyId: string; sealed: Buffer } {
  const key = ring.keys.get(ring.current);
  if (!key) throw new Error(`current key ${ring.current} is not in the key ring`);
  const bytes = encrypt(Buffer.from(JSON.stringify(value)), key, Buffer.from(binding));
  return { keyId: ring.current, sealed: Buffer.from(bytes) };
}

/** Opens what `seal` sealed, with whichever key of the ring sealed it. */
export function unseal<T>(ring: KeyRing, keyId: string, sealed: Uint8Array, binding: string): T {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`key ${keyId} is not in the key ring`);
  return JSON.parse(Buffer.from(decrypt(sealed, key, Buffer.from(binding))).toString('utf8')) as T;
}
