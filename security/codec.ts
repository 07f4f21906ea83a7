import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  defaultPayloadConverter,
  METADATA_ENCODING_KEY,
  ValueError,
  type Payload,
  type PayloadCodec,
  type SerializationContext,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Unverified } from '../contract/messages';
import { claimsSeal, commandKeyOf, sealHolds } from './commands';
import type { KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/**
 * The workflow a payload belongs to (for a case, its case id). It is authenticated with the
 * payload (associated data of the encryption), so it cannot be changed or removed, and a
 * payload copied into another workflow does not decode there.
 */
export const WORKFLOW_ID_METADATA = 'workflow-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

export function encrypt(plain: Uint8Array, key: Buffer, associated?: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (associated) cipher.setAAD(associated);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function decrypt(sealed: Uint8Array, key: Buffer, associated?: Uint8Array): Uint8Array {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
  if (associated) decipher.setAAD(associated);
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}

/** What a payload that names its workflow is bound to: the key id and the workflow id. */
const associatedData = (keyId: string, workflowId: string) =>
  text.encode(`reconnect-cases payload v2\u0000${keyId}\u0000${workflowId}`);

/** Why a payload could not be verified: fixed words, never anything the payload says. */
export const UNVERIFIED_BECAUSE = {
  plain: 'the payload was not encrypted by this service',
  unknownKey: 'the payload is encrypted under a key this service does not hold',
  broken: 'the payload does not decrypt with its key: it was altered, or written for another case',
  elsewhere: 'the payload belongs to another case',
  notIssued: "the command was not issued by the service's own API or client",
} as const;

/** What an unverifiable payload decodes to in strict mode: a value every handler refuses. */
export const unverified = (why: keyof typeof UNVERIFIED_BECAUSE): Unverified => ({
  $unverified: UNVERIFIED_BECAUSE[why],
});
export const UNVERIFIED = unverified('plain');

/** The workflow whose payloads these are, when the SDK says (a workflow's or its activity's). */
const workflowOf = (context?: SerializationContext) => context?.workflowId || undefined;

/** JSON that could hold a top-level `seal`: its name written plainly, or with \u escapes. */
function mayClaimSeal(json: Uint8Array): boolean {
  const b = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  return b.includes('seal"') || b.includes('\\u');
}

/**
 * AES-256-GCM over whole payloads. The key id travels in the metadata so keys can rotate, and
 * the workflow the payload belongs to (from the SDK's serialization context) is named in the
 * metadata and bound into the encryption as associated data.
 *
 * Authenticated encryption doubles as proof of origin: in strict mode (workers and clients)
 * a payload that is not encrypted, is under a key this service does not hold, does not
 * decrypt, belongs to another workflow, or carries a command seal that does not hold, decodes
 * to an `Unverified` value, so a message sent straight to Temporal is refused by the case
 * (and recorded, for a report) rather than applied or failing its workflow task. A payload
 * written before payloads named their workflow still decodes, so running cases replay; a
 * command in one is refused all the same, since it carries no seal.
 *
 * Not strict (the codec endpoint for the Web UI): it only shows what is there, and says why not.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly commandKey: Buffer;

  constructor(
    private readonly ring: KeyRing,
    private readonly o: { strict?: boolean } = {},
  ) {
    this.commandKey = commandKeyOf(ring);
  }

  /** The workflow an encrypted payload names, if it names one (read before decoding it). */
  static workflowIdOf(p: Payload): string | undefined {
    const named = p.metadata?.[WORKFLOW_ID_METADATA];
    return named && named.length > 0 && named.length <= 200 ? untext.decode(named) : undefined;
  }

  /** Whether the payload is encrypted (by this codec's format; not whether it decrypts). */
  static isEncrypted(p: Payload): boolean {
    const encoding = p.metadata?.[METADATA_ENCODING_KEY];
    return !!encoding && untext.decode(encoding) === ENCRYPTED_ENCODING;
  }

  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const id = this.ring.current;
    const key = this.ring.keys.get(id)!;
    const workflowId = workflowOf(context);
    return Promise.resolve(
      payloads.map((p) => ({
        metadata: {
          [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: text.encode(id),
          ...(workflowId ? { [WORKFLOW_ID_METADATA]: text.encode(workflowId) } : {}),
        },
        data: encrypt(
          temporal.api.common.v1.Payload.encode(p).finish(),
          key,
          workflowId ? associatedData(id, workflowId) : undefined,
        ),
      })),
    );
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const expected = workflowOf(context);
    return payloads.map((p) => this.open(p, expected));
  }

  private open(p: Payload, expected: string | undefined): Payload {
    if (!EncryptionCodec.isEncrypted(p)) return this.refuse(p, 'plain');
    const keyId = p.metadata?.[KEY_ID_METADATA];
    if (!keyId || !p.data) return this.refuse(p, 'broken', 'encrypted payload without key id or data');
    const id = untext.decode(keyId).slice(0, 64);
    const key = this.ring.keys.get(id);
    // A key this service does not hold: for a worker, a message refused at the boundary (a
    // case's own inputs under it fail their workflow task, to be retried once the key is added).
    if (!key) return this.refuse(p, 'unknownKey', `no key "${id}" in the key ring`);
    const named = EncryptionCodec.workflowIdOf(p);
    if (this.o.strict && expected && named && named !== expected) return this.refuse(p, 'elsewhere');
    let plain: Uint8Array;
    try {
      plain = decrypt(p.data, key, named ? associatedData(id, named) : undefined);
    } catch {
      return this.refuse(p, 'broken', 'the payload does not decrypt with its key');
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    if (this.o.strict && this.claimsUnheldSeal(inner, named ?? expected)) return this.refuse(p, 'notIssued');
    return inner;
  }

  /** A JSON payload carrying a command seal that does not hold for this workflow. */
  private claimsUnheldSeal(inner: Payload, workflowId: string | undefined): boolean {
    const encoding = inner.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || untext.decode(encoding) !== 'json/plain' || !inner.data) return false;
    if (!mayClaimSeal(inner.data)) return false;
    let value: unknown;
    try {
      value = JSON.parse(untext.decode(inner.data));
    } catch {
      return false; // not JSON: the converter refuses it as it would have
    }
    return claimsSeal(value) && !sealHolds(this.commandKey, value, workflowId);
  }

  private refuse(p: Payload, why: keyof typeof UNVERIFIED_BECAUSE, problem?: string): Payload {
    if (this.o.strict) return defaultPayloadConverter.toPayload(unverified(why));
    if (problem) throw new ValueError(problem);
    return p;
  }
}
