import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** Encryption keys by id; `current` encrypts, every key decrypts, so keys can rotate. */
export interface KeyRing {
  current: string;
  keys: Map<string, Buffer>;
  /** Secret for keyed hashes of identifiers used in searches (child links). */
  linkKey: Buffer;
  /**
   * Seals the commands the service's client issues (security/commands.ts); absent: derived from
   * the link key, so key rings from before it still work.
   */
  commandKey?: Buffer;
  /** Chains the access log's rows (store/accessLog.ts); absent: derived from the link key. */
  accessLogKey?: Buffer;
  /** Keys the person index's hashes of identifiers (store/people.ts); absent: derived from the link key. */
  personIndexKey?: Buffer;
}

const key32 = z
  .string()
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((b) => b.length === 32, 'must be 32 bytes, base64-encoded');

const KeyFile = z.object({
  current: z.string().min(1),
  keys: z.record(z.string(), key32),
  linkKey: key32,
  commandKey: key32.optional(),
  accessLogKey: key32.optional(),
  personIndexKey: key32.optional(),
});

function fromFile(json: unknown): KeyRing {
  const f = KeyFile.parse(json);
  if (!f.keys[f.current]) throw new Error(`current key "${f.current}" is not in the key ring`);
  return {
    current: f.current,
    keys: new Map(Object.entries(f.keys)),
    linkKey: f.linkKey,
    ...(f.commandKey ? { commandKey: f.commandKey } : {}),
    ...(f.accessLogKey ? { accessLogKey: f.accessLogKey } : {}),
    ...(f.personIndexKey ? { personIndexKey: f.personIndexKey } : {}),
  };
}

/**
 * `id:base64,id:base64` (first is current) plus a base64 link key, and optionally a base64
 * command key: how production passes keys.
 */
export function keyRingFromEnv(keys: string, linkKey: string, commandKey?: string): KeyRing {
  const entries = keys.split(',').map((pair) => {
    const [id, b64] = pair.split(':');
    return [id?.trim() ?? '', b64?.trim() ?? ''] as const;
  });
  return fromFile({
    current: entries[0]?.[0],
    keys: Object.fromEntries(entries),
    linkKey,
    ...(commandKey ? { commandKey } : {}),
  });
}

/** The embedded default: a key ring generated once into the data folder, readable by its owner only. */
export function loadOrCreateKeyFile(path: string): KeyRing {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    const file = {
      current: id,
      keys: { [id]: randomBytes(32).toString('base64') },
      linkKey: randomBytes(32).toString('base64'),
      commandKey: randomBytes(32).toString('base64'),
      accessLogKey: randomBytes(32).toString('base64'),
      personIndexKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(path, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return fromFile(JSON.parse(readFileSync(path, 'utf8')));
}

/** A keyed hash of an identifier: the same reference always links, and the value reveals nothing. */
export function linkKeyFor(ring: KeyRing, reference: string): string {
  return createHmac('sha256', ring.linkKey)
    .update(reference.trim().toUpperCase())
    .digest('base64url')
    .slice(0, 32);
}

/** The access log's chaining key: its own in the key ring, or derived from the link key for older rings. */
export function accessLogKeyOf(ring: KeyRing): Buffer {
  return (
    ring.accessLogKey ??
    Buffer.from(hkdfSync('sha256', ring.linkKey, Buffer.alloc(0), 'reconnect-cases access log chain', 32))
  );
}
