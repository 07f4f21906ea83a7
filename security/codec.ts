import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

export function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function decrypt(sealed: Uint8Array, key: Buffer): Uint8Array {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}

/** AES-256-GCM over whole payloads; the key id travels in the metadata so keys can rotate. */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.ring.keys.get(this.ring.current)!;
    return Promise.resolve(
      payloads.map((p) => ({
        metadata: {
          [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: text.encode(this.ring.current),
        },
        data: encrypt(temporal.api.common.v1.Payload.encode(p).finish(), key),
      })),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((p) => {
        const encoding = p.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return p;
        const keyId = p.metadata?.[KEY_ID_METADATA];
        if (!keyId || !p.data) throw new ValueError('encrypted payload without key id or data');
        const key = this.ring.keys.get(untext.decode(keyId));
        if (!key) throw new ValueError(`no key "${untext.decode(keyId)}" in the key ring`);
        return temporal.api.common.v1.Payload.decode(decrypt(p.data, key));
      }),
    );
  }
}
