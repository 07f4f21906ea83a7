import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { subtractWorkingDays, ZONE } from '../calendar/calendar';
import { shippedHolidays } from '../calendar/holidays';
import type { CaseClient } from '../client/cases';

/** Demo data is fictional through and through: names, numbers (invalid NHS numbers are never used), addresses. */
const referrer = (role: string, name: string) => ({
  role,
  name,
  organisation: 'Demo Healthcare Trust',
  contact: { route: 'email', value: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` },
});

function parentInfant(receivedAt: string, parentName: string) {
  const due = DateTime.fromISO(receivedAt).plus({ weeks: 12 }).toISODate()!;
  return {
    receivedAt,
    referrer: referrer('healthVisitor', 'Demo Health Visitor'),
    parent: { name: parentName, dateOfBirth: '1996-02-14' },
    child: { born: false, expectedDeliveryDate: due },
    childRef: `DEMO-${parentName.length}${receivedAt.slice(8, 10)}`,
    socialCareStatus: 'childProtectionPlan',
    openToBuckinghamshireChildrensServices: true,
    concerns: ['mentalIllness'],
  };
}

function custody(receivedAt: string, releaseDate: string) {
  return {
    receivedAt,
    referrer: referrer('prisonHealthcare', 'Demo Prison Nurse'),
    person: { name: 'Demo Person (fictional)', dateOfBirth: '1988-09-03', prisonNumber: 'A0000AA' },
    custody: { status: 'inCustody', setting: 'prison', establishment: 'HMP Demo', releaseDate },
    identifiedHealthNeed: true,
    healthNeeds: 'Low mood and anxiety (fictional)',
  };
}

/** The file in the data folder that says the demo cases were made (and which they are). */
export const DEMO_MARKER = 'demo-cases.json';

const supervisor = { id: 'sup-jo', role: 'supervisor' } as const;
const caseworker = { id: 'cw-amira', role: 'caseworker' } as const;

/**
 * A handful of fictional cases for a first look: Amira Khan (caseworker) has an overdue
 * screening, an assessment, a family she is seeing (record a contact there) and a release
 * coming up; the team meeting has a referral waiting. Created once per data folder.
 */
export async function createDemoCases(cases: CaseClient, dataDir: string): Promise<string[] | undefined> {
  const marker = join(dataDir, DEMO_MARKER);
  if (existsSync(marker)) return undefined;
  const now = DateTime.now().setZone(ZONE);
  const daysAgo = (n: number) => `${subtractWorkingDays(now.toISODate()!, n, shippedHolidays)}T09:30:00Z`;
  const ids: string[] = [];
  const open = async (pathway: string, referral: object, steps: object[], actor = caseworker) => {
    const { caseId } = await cases.refer(pathway, referral, actor);
    for (const step of steps) await cases.act(caseId, step);
    ids.push(caseId);
  };
  const assign = { type: 'ASSIGN_WORKER', actor: supervisor, worker: 'cw-amira', reason: 'Demo allocation' };
  const accept = { type: 'ACCEPT_FOR_ASSESSMENT', actor: caseworker, reason: 'Meets the criteria' };

  // Screening was due two working days ago: overdue.
  await open('parentInfant', parentInfant(daysAgo(3), 'Demo Parent One'), [assign]);
  // Accepted: being assessed.
  await open('parentInfant', parentInfant(daysAgo(2), 'Demo Parent Two'), [assign, accept]);
  // Receiving support: record a contact here.
  await open('parentInfant', parentInfant(daysAgo(6), 'Demo Parent Three'), [
    assign,
    accept,
    { type: 'ASSESSMENT_COMPLETED', actor: caseworker, suitable: true, reason: 'Suitable for the service' },
  ]);
  // Waiting for Monday's team meeting: received just now (a time later today has not come yet).
  await open('parentInfant', parentInfant(now.toUTC().toISO()!, 'Demo Parent Four'), [
    { type: 'REFER_TO_TEAM_MEETING', actor: caseworker, reason: 'Needs the team to decide' },
  ]);
  // Released in five weeks: RECONNECT, waiting for the team meeting, with Amira named.
  await open('reconnect', custody(daysAgo(1), now.plus({ weeks: 5 }).toISODate()!), [assign]);

  writeFileSync(marker, JSON.stringify({ createdAt: now.toISO(), cases: ids }, null, 2), { mode: 0o600 });
  return ids;
}
