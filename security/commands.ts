import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Command, Issued, SealedCommand } from '../contract/messages';
import type { KeyRing } from './keys';

/**
 * Commands issued by the service's own client. The API (or the service itself) verifies the
 * caller, then seals the command with who verified it, for which case and when, under the key
 * ring's command key. That key does nothing else: a payload encrypted with the service's
 * encryption key alone (by a tool that holds only those, or by the encode endpoint the Web UI
 * once had) is not a command. The worker's codec checks the seal before a case sees it.
 */

const DERIVED = 'reconnect-cases command seal v1';

/** The key commands are sealed with: the key ring's own, or one derived from its link key. */
export function commandKeyOf(ring: KeyRing): Buffer {
  return ring.commandKey ?? Buffer.from(hkdfSync('sha256', ring.linkKey, Buffer.alloc(0), DERIVED, 32));
}

const macOf = (key: Buffer, sealed: string) => createHmac('sha256', key).update(sealed).digest('base64url');

export function sealCommand(ring: KeyRing, command: Command, issued: Issued): SealedCommand {
  const sealed = JSON.stringify({ command, issued });
  return { sealed, seal: macOf(commandKeyOf(ring), sealed) };
}

/** Whether `value` carries a seal at all: then the seal must hold, or the value is refused. */
export function claimsSeal(value: unknown): value is { seal: unknown } {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'seal');
}

/** A sealed command whose seal holds under `key` and which was issued for `workflowId`. */
export function sealHolds(key: Buffer, value: unknown, workflowId: string | undefined): boolean {
  const v = value as Partial<Record<keyof SealedCommand, unknown>>;
  if (!workflowId || typeof v.sealed !== 'string' || typeof v.seal !== 'string') return false;
  const expected = Buffer.from(macOf(key, v.sealed));
  const given = Buffer.from(v.seal);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  try {
    return (JSON.parse(v.sealed) as { issued?: { caseId?: unknown } }).issued?.caseId === workflowId;
  } catch {
    return false;
  }
}
