import { randomBytes } from 'node:crypto';
import {
  defaultPayloadConverter,
  ValueError,
  type Payload,
  type SerializationContext,
} from '@temporalio/common';
import { EncryptionCodec, UNVERIFIED_BECAUSE, WORKFLOW_ID_METADATA } from './codec';
import { commandKeyOf, sealCommand } from './commands';
import type { KeyRing } from './keys';

const ring = (): KeyRing => ({
  current: 'k1',
  keys: new Map([['k1', randomBytes(32)]]),
  linkKey: randomBytes(32),
});
const keys = ring();
const strict = new EncryptionCodec(keys, { strict: true });
const forUi = new EncryptionCodec(keys);
const caseA = 'reconnect-00000000-0000-4000-8000-00000000000a';
const caseB = 'reconnect-00000000-0000-4000-8000-00000000000b';
const of = (workflowId: string): SerializationContext => ({
  type: 'workflow',
  namespace: 'default',
  workflowId,
});

const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const value = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const one = async (codec: EncryptionCodec, p: Payload, context?: SerializationContext) =>
  value((await codec.decode([p], context))[0]!);
const sealed = async (p: Payload, context?: SerializationContext) => (await strict.encode([p], context))[0]!;
const command = { type: 'RELEASED', eventId: 'e-1', actor: { id: 'system:prison', role: 'system' } };

describe('payloads are bound to the case they belong to', () => {
  it('names the case in its metadata and decodes there', async () => {
    const p = await sealed(payload({ name: 'Sam Leaver' }), of(caseA));
    expect(Buffer.from(p.metadata![WORKFLOW_ID_METADATA]!).toString()).toBe(caseA);
    expect(Buffer.from(p.data!).toString()).not.toContain('Sam');
    expect(await one(strict, p, of(caseA))).toEqual({ name: 'Sam Leaver' });
    expect(EncryptionCodec.workflowIdOf(p)).toBe(caseA);
  });

  it('refuses, in strict mode, a payload copied into another case', async () => {
    const p = await sealed(payload({ name: 'Sam Leaver' }), of(caseA));
    expect(await one(strict, p, of(caseB))).toEqual({ $unverified: UNVERIFIED_BECAUSE.elsewhere });
  });

  it('does not decrypt when the case it names is swapped or removed', async () => {
    const p = await sealed(payload({ name: 'Sam Leaver' }), of(caseA));
    const swapped = { ...p, metadata: { ...p.metadata, [WORKFLOW_ID_METADATA]: Buffer.from(caseB) } };
    const { [WORKFLOW_ID_METADATA]: _named, ...unnamed } = p.metadata!;
    for (const altered of [swapped, { ...p, metadata: unnamed }]) {
      expect(await one(strict, altered, of(caseB))).toEqual({ $unverified: UNVERIFIED_BECAUSE.broken });
      await expect(forUi.decode([altered])).rejects.toThrow(ValueError);
    }
  });

  it('still decodes a payload written before payloads named their case, wherever it is read', async () => {
    const old = (await strict.encode([payload({ name: 'Sam Leaver' })]))[0]!;
    expect(old.metadata![WORKFLOW_ID_METADATA]).toBeUndefined();
    expect(await one(strict, old, of(caseB))).toEqual({ name: 'Sam Leaver' });
  });
});

describe('what a worker cannot verify is refused, never a failed task', () => {
  it('decodes a payload under a key it does not hold to a refusal (strict), an error for the Web UI', async () => {
    const elsewhere = new EncryptionCodec({
      ...ring(),
      current: 'k9',
      keys: new Map([['k9', randomBytes(32)]]),
    });
    const p = (await elsewhere.encode([payload(command)], of(caseA)))[0]!;
    expect(await one(strict, p, of(caseA))).toEqual({ $unverified: UNVERIFIED_BECAUSE.unknownKey });
    await expect(forUi.decode([p])).rejects.toThrow(/no key "k9"/);
  });

  it('decodes plain JSON to a refusal (strict), and passes it through for the Web UI', async () => {
    expect(await one(strict, payload(command), of(caseA))).toEqual({ $unverified: UNVERIFIED_BECAUSE.plain });
    expect(await one(forUi, payload(command))).toEqual(command);
  });
});

describe('commands carry the seal of the service’s own client', () => {
  const issued = (caseId: string) => ({
    caseId,
    by: 'api',
    at: '2026-12-06T10:00:00Z',
    access: { allTeams: true as const },
  });

  it('passes a command sealed for this case', async () => {
    const message = sealCommand(keys, command, issued(caseA));
    const p = await sealed(payload(message), of(caseA));
    expect(await one(strict, p, of(caseA))).toEqual(message);
  });

  it('refuses a seal for another case, a forged seal, and a seal spelt with escapes', async () => {
    const forB = sealCommand(keys, command, issued(caseB));
    const forged = { sealed: forB.sealed.replace(caseB, caseA), seal: forB.seal };
    const escaped = new TextEncoder().encode(
      `{"sealed":${JSON.stringify(forged.sealed)},"se\\u0061l":${JSON.stringify(forged.seal)}}`,
    );
    const refused = { $unverified: UNVERIFIED_BECAUSE.notIssued };
    expect(await one(strict, await sealed(payload(forB), of(caseA)), of(caseA))).toEqual(refused);
    expect(await one(strict, await sealed(payload(forged), of(caseA)), of(caseA))).toEqual(refused);
    const spelt = { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: escaped };
    expect(await one(strict, await sealed(spelt, of(caseA)), of(caseA))).toEqual(refused);
  });

  it('refuses a seal made with the encryption key alone', async () => {
    const other = { ...keys, commandKey: randomBytes(32) };
    const message = sealCommand(other, command, issued(caseA));
    expect(await one(strict, await sealed(payload(message), of(caseA)), of(caseA))).toEqual({
      $unverified: UNVERIFIED_BECAUSE.notIssued,
    });
  });

  it('seals with the key ring’s command key, or one derived from its link key that is not the link key', () => {
    const own = randomBytes(32);
    expect(commandKeyOf({ ...keys, commandKey: own })).toEqual(own);
    const derived = commandKeyOf(keys);
    expect(derived).toHaveLength(32);
    expect(derived.equals(keys.linkKey)).toBe(false);
    expect(commandKeyOf(keys).equals(derived)).toBe(true);
  });
});
