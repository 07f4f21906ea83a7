import { frozen, type Frozen } from '../../validation/frozen';
import type { Recipient } from './case';

/**
 * Effects a machine asks for. They are named XState actions, so the pure `transition()`
 * returns them and the workflow carries them out as activities.
 */
export interface EffectParams {
  notify: { to: Recipient; subject: string; detail?: string };
  /** Services the person is signposted to; `for` names who (the parent, the person referred). */
  signpost: { signposting: string[]; for?: string };
  handover: { receivingService: string };
  closeLinkedCases: { childRef: string };
  /** The child's social-care status, told to linked parent–infant cases. */
  reportToLinkedCases: { childRef: string; status: LinkedStatus };
  archive: Record<string, never>;
}
export type EffectType = keyof EffectParams;

/** The statuses a front-door case reports to linked cases as it moves. */
export type LinkedStatus = 'childInNeed' | 'childProtectionPlan' | 'preProceedingsPlo' | 'closedToSocialCare';
export type Effect = { [K in EffectType]: { type: K; params: EffectParams[K] } }[EffectType];

export const EFFECT_TYPES: Frozen<EffectType[]> = frozen([
  'notify',
  'signpost',
  'handover',
  'closeLinkedCases',
  'reportToLinkedCases',
  'archive',
]);

/**
 * Placeholder implementations for `setup({ actions })`: effects do nothing inside the machine.
 * An effect whose params resolve to null is dropped: how a machine asks for one only sometimes
 * (for example only under a later rules edition) without changing what older cases do.
 */
export const effectActions = frozen({
  notify: (_: unknown, _params: EffectParams['notify'] | null) => undefined,
  signpost: (_: unknown, _params: EffectParams['signpost'] | null) => undefined,
  handover: (_: unknown, _params: EffectParams['handover']) => undefined,
  closeLinkedCases: (_: unknown, _params: EffectParams['closeLinkedCases']) => undefined,
  reportToLinkedCases: (_: unknown, _params: EffectParams['reportToLinkedCases'] | null) => undefined,
  archive: () => undefined,
});
