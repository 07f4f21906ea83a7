import { addWorkingDays as addWorkingDaysTo, isWorkingDay } from '../../calendar/calendar';
import { shippedHolidays } from '../../calendar/holidays';
import { seededRandom } from '../../tools/seededRandom';
import {
  ASSESSMENT_FACTOR,
  DISABILITY,
  ETHNICITY,
  REFERRAL_SOURCE,
  codesOf,
  upnCheckLetter,
  type AssessmentFactor,
  type CategoryOfAbuse,
  type Disability,
  type PrimaryNeed,
} from './codes';
import type { Assessment, CINdetails, Child, ChildProtectionPlan, CinCensus } from './xml';

/**
 * Made-up children for a collection year, for testing the census: seeded, so the same seed gives the
 * same children. Each child takes one of the front door's routes, with dates that follow one
 * another and fall inside the year:
 *
 * - a referral with no further action;
 * - an assessment, then closed (no further action, or referred to early help);
 * - an assessment and a section 17 child in need plan, still open or ended and closed;
 * - a section 47 enquiry, an initial child protection conference the same day as the plan starts,
 *   reviews, then a step-down to a child in need plan, open or closed;
 * - a section 47 enquiry where no conference was needed, then a child in need plan;
 * - a plan that ended with the case moving to another authority;
 * - a referral with no further action, and a later referral that went on to an assessment and plan.
 *
 * No real child's data: names are not in the census, and identifiers, dates and codes are drawn at
 * random.
 */

export const ROUTES = [
  'nfa',
  'assessedAndClosed',
  'cinPlan',
  'childProtection',
  's47NoConference',
  'transferred',
  'repeatReferral',
] as const;
export type Route = (typeof ROUTES)[number];

export interface SampleOptions {
  /** The collection year, such as 2025-26 (1 April 2025 to 31 March 2026). */
  collectionYear: string;
  children: number;
  seed: number;
  /** The local authority's three-digit code (in the header and the UPNs). */
  lea?: string;
}

export interface SampleChild {
  route: Route;
  child: Child;
}

export function collectionPeriod(collectionYear: string): { start: string; end: string; year: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(collectionYear);
  if (!match) throw new Error(`a collection year is written 2025-26, not ${collectionYear}`);
  const first = Number(match[1]);
  if ((first + 1) % 100 !== Number(match[2])) throw new Error(`${collectionYear} is not one year`);
  return { start: `${first}-04-01`, end: `${first + 1}-03-31`, year: String(first + 1) };
}

/** A census of made-up children, and the route each took. */
export function sampleCensus(options: SampleOptions): { census: CinCensus; children: SampleChild[] } {
  const { start, end, year } = collectionPeriod(options.collectionYear);
  const lea = options.lea ?? '845';
  const pick = seededRandom(options.seed);
  const children: SampleChild[] = [];
  for (let i = 0; i < options.children; i++) {
    const route = ROUTES[i % ROUTES.length]!;
    const childSeed = Math.floor(pick() * 2 ** 31);
    // Lay the route out from the year's first day, then lay it out again whole weeks later, by as
    // much as the year leaves room for (its dates move on to working days each time).
    const first = episodesFor(route, seededRandom(childSeed), day(start));
    const last = Math.max(...first.flatMap(datesOf).map(day));
    const spareWeeks = Math.floor((day(end) - last) / 7);
    if (spareWeeks < 0) throw new Error(`route ${route} does not fit in ${options.collectionYear}`);
    const base = day(start) + 7 * Math.floor(pick() * (spareWeeks + 1));
    const episodes = episodesFor(route, seededRandom(childSeed), base);
    children.push({ route, child: childOf(i, route, episodes, pick, { start, end, lea }) });
  }
  return {
    census: {
      Header: {
        Collection: 'CIN',
        Year: year,
        ReferenceDate: end,
        SourceLevel: 'L',
        LEA: lea,
        SoftwareCode: 'ReConnect',
        Release: '0.1.0',
        SerialNo: '1',
        DateTime: `${year}-04-10T09:00:00`,
      },
      Children: children.map((c) => c.child),
    },
    children,
  };
}

function childOf(
  index: number,
  route: Route,
  episodes: CINdetails[],
  pick: () => number,
  period: { start: string; end: string; lea: string },
): Child {
  const referral = day(episodes[0]!.CINreferralDate);
  // Aged from a few weeks to 17 at the first referral.
  const birth = referral - 21 - Math.floor(pick() * 17 * 365);
  // A child starts school in the September after turning four; one born after 31 August six years
  // before the September after the census has usually not got a UPN yet.
  const schoolAgeCutOff = day(`${Number(period.end.slice(0, 4)) - 6}-08-31`);
  const hasUpn = birth <= schoolAgeCutOff;
  const onlyNfa = episodes.every((e) => e.ReferralNFA);
  const disabilities: Disability[] =
    pick() < 0.7 ? ['NONE'] : distinct(pick, codesOf(DISABILITY).slice(1), pick() < 0.5 ? 1 : 2);
  return {
    ChildIdentifiers: {
      LAchildID: `RC${String(index + 1).padStart(6, '0')}`,
      ...(hasUpn ? { UPN: upn(period.lea, index) } : { UPNunknown: onlyNfa ? 'UN7' : 'UN1' }),
      PersonBirthDate: iso(birth),
      Sex: pick() < 0.5 ? 'F' : 'M',
    },
    ChildCharacteristics: {
      Ethnicity: one(pick, codesOf(ETHNICITY)),
      Disabilities: onlyNfa && route === 'nfa' && pick() < 0.5 ? [] : disabilities,
    },
    CINdetails: episodes,
  };
}

function episodesFor(route: Route, pick: () => number, base: number): CINdetails[] {
  switch (route) {
    case 'nfa':
      return [nfa(pick, weekday(base + Math.floor(pick() * 30)))];
    case 'assessedAndClosed':
      return [assessedAndClosed(pick, weekday(base + Math.floor(pick() * 30)))];
    case 'cinPlan':
      return [cinPlan(pick, weekday(base + Math.floor(pick() * 30)), pick() < 0.5 ? undefined : 'RC7')];
    case 'transferred':
      return [cinPlan(pick, weekday(base + Math.floor(pick() * 30)), 'RC5')];
    case 'childProtection':
      return [childProtection(pick, weekday(base + Math.floor(pick() * 20)))];
    case 's47NoConference':
      return [s47NoConference(pick, weekday(base + Math.floor(pick() * 30)))];
    case 'repeatReferral': {
      const first = nfa(pick, weekday(base + Math.floor(pick() * 20)));
      return [
        first,
        cinPlan(pick, weekday(day(first.CINreferralDate) + 14 + Math.floor(pick() * 30)), 'RC7'),
      ];
    }
  }
}

function episode(pick: () => number, referral: number, need: PrimaryNeed): CINdetails {
  return {
    CINreferralDate: iso(referral),
    ReferralSource: one(pick, codesOf(REFERRAL_SOURCE)),
    PrimaryNeedCode: need,
    ReferralNFA: false,
    Assessments: [],
    CINPlanDates: [],
    Section47: [],
    ChildProtectionPlans: [],
  };
}

/**
 * A referral the front door decided needed no further action. The census returns it with the flag
 * and no closure: the rules expect no closure date or reason on it (RC8 without an assessment is
 * queried, 8825Q, and open no-further-action referrals are allowed beside other episodes, 8815).
 */
function nfa(pick: () => number, referral: number): CINdetails {
  const { PrimaryNeedCode: _none, ...rest } = episode(pick, referral, 'N9');
  return { ...rest, ReferralNFA: true };
}

function assessment(pick: () => number, startAt: number, workingDays: number): Assessment {
  // Factor 21 (no factors) stands alone and asks for an RC8/RC9 closure: left out of the draw.
  const factors = codesOf(ASSESSMENT_FACTOR).filter((f) => f !== '21');
  return {
    AssessmentActualStartDate: iso(startAt),
    AssessmentAuthorisationDate: iso(addWorkingDays(startAt, workingDays)),
    AssessmentFactors: distinct<AssessmentFactor>(pick, factors, 1 + Math.floor(pick() * 3)),
  };
}

function assessedAndClosed(pick: () => number, referral: number): CINdetails {
  const a = assessment(pick, addWorkingDays(referral, Math.floor(pick() * 3)), 10 + Math.floor(pick() * 30));
  return {
    ...episode(pick, referral, one(pick, ['N4', 'N5', 'N6', 'N8'] as const)),
    Assessments: [a],
    CINclosureDate: a.AssessmentAuthorisationDate,
    ReasonForClosure: pick() < 0.5 ? 'RC8' : 'RC9',
  };
}

/** An assessment then a section 17 plan from the day it is signed off; open, or ended and closed. */
function cinPlan(pick: () => number, referral: number, closure: 'RC5' | 'RC7' | undefined): CINdetails {
  const a = assessment(pick, addWorkingDays(referral, Math.floor(pick() * 3)), 15 + Math.floor(pick() * 25));
  const planStart = day(a.AssessmentAuthorisationDate!);
  const planEnd = closure ? weekday(planStart + 60 + Math.floor(pick() * 120)) : undefined;
  return {
    ...episode(pick, referral, one(pick, ['N2', 'N3', 'N4', 'N5', 'N7'] as const)),
    Assessments: [a],
    CINPlanDates: [
      { CINPlanStartDate: iso(planStart), ...(planEnd ? { CINPlanEndDate: iso(planEnd) } : {}) },
    ],
    ...(planEnd && closure ? { CINclosureDate: iso(planEnd), ReasonForClosure: closure } : {}),
  };
}

/**
 * Section 47 enquiry, initial conference within 15 working days, a child protection plan from the
 * conference, reviews at three months and then six-monthly, then a step-down to a child in need plan
 * (open, or ended and the case closed); or the plan still running at the year's end.
 */
function childProtection(pick: () => number, referral: number): CINdetails {
  const s47Start = addWorkingDays(referral, Math.floor(pick() * 2));
  const target = addWorkingDays(s47Start, 15);
  const conference = addWorkingDays(s47Start, 5 + Math.floor(pick() * 11));
  const a = assessment(pick, referral, 20 + Math.floor(pick() * 20));
  const category = one<CategoryOfAbuse>(pick, ['NEG', 'NEG', 'EMO', 'PHY', 'SAB', 'MUL']);
  const outcome = one(pick, ['open', 'steppedDown', 'steppedDownAndClosed'] as const);
  const planEnd = outcome === 'open' ? undefined : weekday(conference + 100 + Math.floor(pick() * 100));
  const reviews = [weekday(conference + 91), weekday(conference + 91 + 182)].filter(
    (r) => planEnd === undefined || r < planEnd,
  );
  const plan: ChildProtectionPlan = {
    CPPstartDate: iso(conference),
    ...(planEnd ? { CPPendDate: iso(planEnd) } : {}),
    InitialCategoryOfAbuse: category,
    LatestCategoryOfAbuse: pick() < 0.8 ? category : 'MUL',
    NumberOfPreviousCPP: pick() < 0.8 ? 0 : 1,
    Reviews: (planEnd ? reviews : reviews.slice(0, 1)).map(iso),
  };
  const stepDown = planEnd === undefined ? undefined : weekday(planEnd + 1);
  const stepDownEnd =
    stepDown !== undefined && outcome === 'steppedDownAndClosed'
      ? weekday(stepDown + 30 + Math.floor(pick() * 60))
      : undefined;
  return {
    ...episode(pick, referral, 'N1'),
    Assessments: [a],
    Section47: [
      { S47ActualStartDate: iso(s47Start), InitialCPCtarget: iso(target), DateOfInitialCPC: iso(conference) },
    ],
    ChildProtectionPlans: [plan],
    CINPlanDates:
      stepDown === undefined
        ? []
        : [{ CINPlanStartDate: iso(stepDown), ...(stepDownEnd ? { CINPlanEndDate: iso(stepDownEnd) } : {}) }],
    ...(stepDownEnd ? { CINclosureDate: iso(stepDownEnd), ReasonForClosure: 'RC7' as const } : {}),
  };
}

/** Section 47 enquiry where the concerns were not substantiated: no conference, then a section 17 plan. */
function s47NoConference(pick: () => number, referral: number): CINdetails {
  const s47Start = addWorkingDays(referral, Math.floor(pick() * 2));
  const a = assessment(pick, referral, 10 + Math.floor(pick() * 20));
  const planStart = day(a.AssessmentAuthorisationDate!);
  const planEnd = weekday(planStart + 60 + Math.floor(pick() * 90));
  return {
    ...episode(pick, referral, 'N1'),
    Assessments: [a],
    Section47: [{ S47ActualStartDate: iso(s47Start), ICPCnotRequired: true }],
    CINPlanDates: [{ CINPlanStartDate: iso(planStart), CINPlanEndDate: iso(planEnd) }],
    CINclosureDate: iso(planEnd),
    ReasonForClosure: 'RC7',
  };
}

/** Every date in an episode, for fitting it into the year. */
function datesOf(e: CINdetails): string[] {
  return [
    e.CINreferralDate,
    e.CINclosureDate,
    ...e.Assessments.flatMap((a) => [a.AssessmentActualStartDate, a.AssessmentAuthorisationDate]),
    ...e.CINPlanDates.flatMap((p) => [p.CINPlanStartDate, p.CINPlanEndDate]),
    ...e.Section47.flatMap((s) => [s.S47ActualStartDate, s.InitialCPCtarget, s.DateOfInitialCPC]),
    ...e.ChildProtectionPlans.flatMap((p) => [p.CPPstartDate, p.CPPendDate, ...p.Reviews]),
  ].filter((d): d is string => d !== undefined);
}

/** A valid-looking UPN: check letter, the LA's code, a made-up school and serial (rules 1510-1550). */
export function upn(lea: string, index: number): string {
  const digits = `${lea}${String(2000 + (index % 8000)).padStart(4, '0')}${String(index % 100000).padStart(5, '0')}`;
  return upnCheckLetter(digits) + digits;
}

// Dates as whole days since 1970-01-01 (UTC), so no clock or zone can move them.
function day(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;
}
function iso(d: number): string {
  return new Date(d * 86_400_000).toISOString().slice(0, 10);
}
/** The day itself if a working day in England, otherwise the next one. */
function weekday(d: number): number {
  while (!isWorkingDay(iso(d), shippedHolidays)) d++;
  return d;
}
/** n working days after d, bank holidays counted out. */
function addWorkingDays(d: number, n: number): number {
  return day(addWorkingDaysTo(iso(weekday(d)), n, shippedHolidays));
}

function one<T>(pick: () => number, from: readonly T[]): T {
  return from[Math.floor(pick() * from.length)]!;
}
function distinct<T>(pick: () => number, from: readonly T[], n: number): T[] {
  const pool = [...from];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(pick() * pool.length), 1)[0]!);
  return out;
}
