import { criterionInWords } from './criteria';
import { DateTime } from 'luxon';
import { initialTransition } from 'xstate';
import { ZONE } from '../../calendar/calendar';
import { shippedHolidays } from '../../calendar/holidays';
import { pathways, type PathwayId } from '../../machines';
import type { Field, Posted } from '../forms';

/** The referral form opens with the time now, in UK time, as when it was received. */
export function defaultsFor(fields: Field[]): Posted {
  const t = DateTime.now().setZone(ZONE);
  const received = fields.find((f) => f.kind === 'dateTime' && f.name === 'receivedAt');
  if (!received) return {};
  return {
    'receivedAt-day': String(t.day),
    'receivedAt-month': String(t.month),
    'receivedAt-year': String(t.year),
    'receivedAt-time': t.toFormat('HH:mm'),
  };
}

/** What the pathway would decide about this referral, before it is sent: the machine's own rules. */
export function eligibilityOf(
  pathwayId: PathwayId,
  referral: Record<string, unknown>,
): { met: string[]; unmet: string[]; outcome?: string } {
  const p = pathways[pathwayId];
  const refusals = p.referralRefusals(referral);
  try {
    const [snapshot] = initialTransition(
      p.machine,
      p.input({
        caseId: `${pathwayId}-check`,
        referral: referral,
        calendar: shippedHolidays,
        team: 'check',
      }),
    );
    const e = (snapshot.context as { eligibility?: { met: string[]; unmet: string[]; outcome: string } })
      .eligibility;
    return {
      met: (e?.met ?? []).map(criterionInWords),
      unmet: [...refusals, ...(e?.unmet ?? []).map(criterionInWords)],
      ...(e ? { outcome: e.outcome } : {}),
    };
  } catch {
    return { met: [], unmet: refusals };
  }
}
