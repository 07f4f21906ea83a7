import { DateTime } from 'luxon';
import {
  ZONE,
  isWorkingDay,
  localDateOf,
  nextTeamMeeting,
  subtractWorkingDays,
  type HolidayCalendar,
  type MeetingSchedule,
} from '../calendar/calendar';
import { pathwayName, stateName } from '../machines/plainEnglish';
import { deadlineInWords } from '../calendar/words';
import type { StoreArchive } from '../store/archive';
import type { Notifier } from './notifier';
import type { CaseFacts } from '../reports/facts';
import type { FactStore } from '../reports/store';
import type { JobActivities, OpenCase } from './types';

export interface JobDeps {
  /** Every open case, from visibility (search attributes: codes and dates only). */
  openCases: () => Promise<OpenCase[]>;
  notifier: Notifier;
  archive: Pick<StoreArchive, 'put' | 'purge'>;
  calendar: HolidayCalendar;
  /** The weekly team meeting; absent: Monday 10:00. */
  meeting?: MeetingSchedule;
  /** An open case's report facts, asked of the case itself (a query: nothing is written to it). */
  factsOf: (caseId: string) => Promise<CaseFacts>;
  facts: FactStore;
  /** Days ahead a digest lists as due. */
  digestDays?: number;
}

const caseLine = (r: OpenCase, at: string, cal: HolidayCalendar) =>
  `- ${pathwayName(r.pathway)}, ${stateName(r.state)}${r.nextDeadline ? `: ${deadlineInWords(r.nextDeadline, at, cal).text}` : ''} (/app/cases/${r.caseId})`;

function byKey<T>(rows: readonly T[], key: (r: T) => string | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k !== undefined) m.set(k, [...(m.get(k) ?? []), r]);
  }
  return m;
}

/** The team meeting's agenda, the daily digest, the reporting refresh and the retention purge. */
export function createJobActivities({
  openCases,
  factsOf,
  facts,
  notifier,
  archive,
  calendar,
  meeting,
  digestDays = 7,
}: JobDeps): JobActivities {
  return {
    /** On the working day before each meeting (a bank holiday moves both), each team gets its agenda. */
    async circulateAgenda({ scheduledAt }) {
      const day = localDateOf(scheduledAt);
      const meetingAt = nextTeamMeeting(scheduledAt, calendar, meeting);
      const agendaDay = subtractWorkingDays(localDateOf(meetingAt), 1, calendar);
      if (day !== agendaDay)
        return { day, done: [], skipped: `the agenda for ${meetingAt} goes out on ${agendaDay}` };
      const open = await openCases();
      const waiting = byKey(
        open.filter((r) => r.state === 'awaitingTeamMeeting'),
        (r) => r.team,
      );
      const done: string[] = [];
      for (const team of [...new Set(open.map((r) => r.team).filter((t): t is string => !!t))].sort()) {
        const rows = waiting.get(team) ?? [];
        const id = `agenda:${team}:${meetingAt}`;
        await notifier.send({
          id,
          kind: 'agenda',
          to: 'team',
          address: `team:${team}`,
          subject: `Team meeting on ${DateTime.fromISO(meetingAt).setZone(ZONE).toFormat("cccc d MMMM 'at' HH:mm")}: ${rows.length === 0 ? 'no referrals' : `${rows.length} referral${rows.length === 1 ? '' : 's'}`} to decide`,
          detail: rows.length
            ? rows.map((r) => caseLine(r, scheduledAt, calendar)).join('\n')
            : 'No referrals are waiting for this meeting.',
          createdAt: new Date().toISOString(),
        });
        done.push(id);
      }
      return { day, done };
    },

    /** Each working day: each worker's due and overdue cases; each team's supervisors, the unassigned and overdue. */
    async sendDigests({ scheduledAt }) {
      const day = localDateOf(scheduledAt);
      if (!isWorkingDay(day, calendar)) return { day, done: [], skipped: 'not a working day' };
      const horizon = Date.parse(scheduledAt) + digestDays * 86_400_000;
      const open = await openCases();
      const overdue = (r: OpenCase) =>
        !!r.nextDeadline && Date.parse(r.nextDeadline) <= Date.parse(scheduledAt);
      const dueSoon = (r: OpenCase) =>
        !!r.nextDeadline && !overdue(r) && Date.parse(r.nextDeadline) <= horizon;
      const done: string[] = [];
      const send = async (
        id: string,
        to: 'namedWorker' | 'supervisor',
        address: string,
        subject: string,
        sections: [string, OpenCase[]][],
      ) => {
        await notifier.send({
          id,
          kind: 'digest',
          to,
          address,
          subject,
          detail: sections
            .filter(([, rows]) => rows.length)
            .map(
              ([title, rows]) =>
                `${title}\n${rows.map((r) => caseLine(r, scheduledAt, calendar)).join('\n')}`,
            )
            .join('\n\n'),
          createdAt: new Date().toISOString(),
        });
        done.push(id);
      };
      for (const [worker, rows] of [...byKey(open, (r) => r.namedWorker)].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        const late = rows.filter(overdue);
        const soon = rows.filter(dueSoon);
        if (!late.length && !soon.length) continue;
        await send(
          `digest:${worker}:${day}`,
          'namedWorker',
          `worker:${worker}`,
          `Your cases today: ${late.length} overdue, ${soon.length} due in the next ${digestDays} days`,
          [
            ['Overdue', late],
            ['Due soon', soon],
          ],
        );
      }
      for (const [team, rows] of [...byKey(open, (r) => r.team)].sort(([a], [b]) => a.localeCompare(b))) {
        const unassigned = rows.filter((r) => !r.namedWorker);
        const late = rows.filter(overdue);
        if (!unassigned.length && !late.length) continue;
        await send(
          `digest:supervisor:${team}:${day}`,
          'supervisor',
          `supervisor:${team}`,
          `Team ${team} today: ${late.length} overdue, ${unassigned.length} with no named worker`,
          [
            ['Overdue', late],
            ['No named worker', unassigned],
          ],
        );
      }
      return { day, done };
    },

    /**
     * The reporting projection's open cases, asked of each case; closed cases were written as
     * they closed (with their archive), so this reads only what is still open.
     */
    async refreshReportFacts({ scheduledAt }) {
      const open = await openCases();
      const done: string[] = [];
      for (let i = 0; i < open.length; i += 8) {
        await Promise.all(
          open.slice(i, i + 8).map(async ({ caseId }) => {
            // A case that closed meanwhile wrote its own last facts; nothing is lost by skipping it.
            const current = await factsOf(caseId).catch(() => undefined);
            if (!current) return;
            await facts.put(current);
            done.push(caseId);
          }),
        );
      }
      await facts.noteRefresh(new Date().toISOString());
      return { day: localDateOf(scheduledAt), done: done.sort() };
    },

    async purgeRecords({ scheduledAt }) {
      const { purged } = await archive.purge(scheduledAt);
      return { day: localDateOf(scheduledAt), done: purged };
    },
  };
}
