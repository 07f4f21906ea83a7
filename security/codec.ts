import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  defaultPayloadConverter,
  METADATA_ENCODING_KEY,
  ValueError,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
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

/** What an unverifiable payload decodes to in strict mode: a value every handler refuses. */
export const UNVERIFIED = { $unverified: 'the payload was not encrypted by this service' } as const;

/**
 * AES-256-GCM over whole payloads; the key id travels in the metadata so keys can rotate.
 * Authenticated encryption doubles as proof of origin: in strict mode (workers and clients)
 * a payload that is not encrypted, or whose tag does not verify, decodes to `UNVERIFIED`, so a
 * message sent straight to Temporal is refused by the case rather than applied or crashing it.
 * The codec endpoint for the Web UI is not strict: it only shows what is there.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly ring: KeyRing,
    private readonly o: { strict?: boolean } = {},
  ) {}

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
        if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return this.unverified(p);
        const keyId = p.metadata?.[KEY_ID_METADATA];
        if (!keyId || !p.data) return this.unverified(p, 'encrypted payload without key id or data');
        const id = untext.decode(keyId).slice(0, 64);
        const key = this.ring.keys.get(id);
        // A key we do not hold is a configuration problem: fail loudly and retry once it is fixed.
        if (!key) throw new ValueError(`no key "${id}" in the key ring`);
        let plain: Uint8Array;
        try {
          plain = decrypt(p.data, key);
        } catch {
          return this.unverified(p, 'the payload does not decrypt with its key');
        }
        return temporal.api.common.v1.Payload.decode(plain);
      }),
    );
  }

  private unverified(p: Payload, problem?: string): Payload {
    if (this.o.strict) return defaultPayloadConverter.toPayload(UNVERIFIED);
    if (problem) throw new ValueError(problem);
    return p;
  }
}
