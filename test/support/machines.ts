import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { shippedHolidays } from '../../calendar/holidays';
import type { Pathway } from '../../machines';
import { sample } from './sampleEvents';

// A pathway's machine driven purely, as the workflow drives it: for machine-level tests.

/** A new case's snapshot from a referral, under the current rules edition unless `rules` says. */
export const start = (pathway: Pathway, referral: unknown, rules?: number) =>
  initialTransition(
    pathway.machine,
    pathway.input({
      caseId: 'c',
      referral: pathway.referral.parse(referral),
      calendar: shippedHolidays,
      team: 't',
      ...(rules ? { rules } : {}),
    }),
  )[0];

/** The next snapshot after a sample event of `type` with `fields`, with the effects it asked for. */
export const send = (
  pathway: Pathway,
  s: AnyMachineSnapshot,
  type: string,
  fields: object = {},
  at?: string,
) => {
  const [next, actions] = transition(pathway.machine, s, sample(pathway.id, type, fields, at));
  const effects: string[] = actions.map((a) => a.type);
  const named: { type: string; params: unknown }[] = actions.map((a) => ({ type: a.type, params: a.params }));
  return Object.assign(next, { effects, actions: named });
};

/** The pending deadlines by name. */
export const due = (pathway: Pathway, s: AnyMachineSnapshot) =>
  Object.fromEntries(pathway.deadlines(s).map((d) => [d.name, d.at]));
