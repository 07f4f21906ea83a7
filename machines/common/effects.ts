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
  archive: Record<string, never>;
}
export type EffectType = keyof EffectParams;
export type Effect = { [K in EffectType]: { type: K; params: EffectParams[K] } }[EffectType];

export const EFFECT_TYPES: readonly EffectType[] = [
  'notify',
  'signpost',
  'handover',
  'closeLinkedCases',
  'archive',
];

/** Placeholder implementations for `setup({ actions })`: effects do nothing inside the machine. */
export const effectActions = {
  notify: (_: unknown, _params: EffectParams['notify']) => undefined,
  signpost: (_: unknown, _params: EffectParams['signpost']) => undefined,
  handover: (_: unknown, _params: EffectParams['handover']) => undefined,
  closeLinkedCases: (_: unknown, _params: EffectParams['closeLinkedCases']) => undefined,
  archive: () => undefined,
};
