import { addWorkingDays, localDateOf } from '../../calendar/calendar';
import { shippedHolidays } from '../../calendar/holidays';
import type { TimelineEntry } from '../../contract/case';
import type { ChildDetails } from '../../machines/frontDoor/machine';
import type { FrontDoorReferral } from '../../machines/frontDoor/referral';
import type {
  AssessmentFactor,
  CategoryOfAbuse,
  PrimaryNeed,
  ReasonForClosure,
  ReferralSource,
  Sex,
  UpnUnknown,
} from './codes';
import { collectionPeriod } from './sample';
import type {
  Assessment,
  CINdetails,
  CINPlanDates,
  Child,
  ChildProtectionPlan,
  CinCensus,
  Section47,
} from './xml';

/**
 * The Children in Need census from the front door's cases themselves: each case is one episode
 * (CINdetails), the episodes of one child (by the child's social care reference) make one <Child>.
 * Read from a case's details (its machine context) and timeline, as reports/facts.ts reads its facts.
 *
 * What the pathway knows is derived, never asked again:
 * - the referral date is the day the referral was received;
 * - the source of referral is the referrer's role in the census's terms, unless the referral says;
 * - an assessment starts on the decision to assess (section 17), or with the strategy discussion;
 *   it is authorised on the day it is recorded complete;
 * - a section 47 enquiry starts on the day of the strategy discussion that started it, and its
 *   initial conference is due 15 working days later; one that ends with no conference did not need one;
 * - plans start and end with the states of the case (a child protection plan runs through
 *   pre-proceedings, and ends when proceedings are issued or the plan steps down or ends);
 * - the reason for closure: after an assessment with no further action, RC8; moved out of the area,
 *   RC5; a plan or proceedings ended, RC7 (the CLOSE event's census reason, when given, wins);
 * - a child with no date of birth yet is unborn: sex U; a child with no UPN whose every referral
 *   ended with no further action: UN7; otherwise one not yet of school age: UN1;
 * - until an assessment records the primary need, it is N0 (not stated).
 * Everything else comes as recorded. Older cases without the census's fields export what they
 * have, and what is missing is listed as gaps.
 */

export interface CaseForReturn {
  caseId: string;
  /** The case's details: its machine context (CaseClient.details). */
  context: Record<string, unknown>;
  /** The case's timeline (CaseClient.timeline). */
  timeline: readonly TimelineEntry[];
}

/** A field the census asks for that a case does not have. */
export interface CensusGap {
  child: string;
  caseId?: string;
  field: string;
  why: string;
}

/** A period, as local dates, inclusive. */
export interface Period {
  start: string;
  end: string;
}

/** One case as one census episode, with what Annex A lists beside it. */
export interface CaseEpisode {
  caseId: string;
  child: string;
  receivedAt: string;
  /** The decision on the referral, as the front door names it, and when. */
  decision?: { code: string; on: string };
  details: CINdetails;
  /** Pre-proceedings, as recorded (not yet in the census XML). */
  preProceedings: { start: string; end?: string; familyGroupDecisionMaking?: string }[];
}

export interface CinReturn {
  census: CinCensus;
  /** Episodes included, by child, in the order of the census. */
  episodes: CaseEpisode[];
  gaps: CensusGap[];
}

export interface ReturnOptions {
  /** 2025-26: 1 April 2025 to 31 March 2026. */
  collectionYear: string;
  /** The local authority's three-digit code. */
  lea: string;
  /** When the file is made (local time, no zone): passed in, so the return is the same for the same cases. */
  madeAt: string;
  serialNo?: string;
  release?: string;
}

/** The census for a collection year: every episode open at some time in the year, one <Child> per child. */
export function cinReturn(cases: readonly CaseForReturn[], options: ReturnOptions): CinReturn {
  const { start, end, year } = collectionPeriod(options.collectionYear);
  const { children, episodes, gaps } = childrenFor(cases, { start, end });
  return {
    census: {
      Header: {
        Collection: 'CIN',
        Year: year,
        ReferenceDate: end,
        SourceLevel: 'L',
        LEA: options.lea,
        SoftwareCode: 'ReConnect cases',
        Release: options.release ?? '0.1.0',
        SerialNo: options.serialNo ?? '1',
        DateTime: options.madeAt.slice(0, 19),
      },
      Children: children,
    },
    episodes,
    gaps,
  };
}

/** The census's children for a period: what the census and Annex A both read. */
export function childrenFor(
  cases: readonly CaseForReturn[],
  period: Period,
): { children: Child[]; episodes: CaseEpisode[]; gaps: CensusGap[] } {
  const gaps: CensusGap[] = [];
  const byChild = new Map<string, { source: CaseForReturn; episode: CaseEpisode }[]>();
  for (const source of cases) {
    const referral = source.context['referral'] as FrontDoorReferral | undefined;
    if (!referral || localDateOf(referral.receivedAt) > period.end) continue;
    const child = laChildId(referral.childRef);
    const episode = episodeOf(source, referral, child, period.end, gaps);
    byChild.set(child, [...(byChild.get(child) ?? []), { source, episode }]);
  }
  const children: Child[] = [];
  const episodes: CaseEpisode[] = [];
  for (const [child, all] of [...byChild].sort(([a], [b]) => a.localeCompare(b))) {
    all.sort((a, b) => a.episode.receivedAt.localeCompare(b.episode.receivedAt));
    numberPreviousPlans(all.map((a) => a.episode));
    const open = all.filter(({ episode }) => openDuring(episode.details, period));
    if (open.length === 0) continue;
    for (const { episode } of open) episode.details = withinPeriod(episode.details, period);
    children.push({
      ChildIdentifiers: identifiersOf(child, all, open, period, gaps),
      ChildCharacteristics: characteristicsOf(child, all, gaps),
      CINdetails: open.map((o) => o.episode.details),
    });
    episodes.push(...open.map((o) => o.episode));
  }
  const included = new Set(episodes.map((e) => e.caseId));
  return { children, episodes, gaps: gaps.filter((g) => !g.caseId || included.has(g.caseId)) };
}

/** The census's child id: the child's social care reference, letters and digits only (rule 1580). */
export function laChildId(childRef: string): string {
  return childRef.replace(/[^A-Za-z0-9]/g, '').slice(-20);
}

function openDuring(e: CINdetails, period: Period): boolean {
  if (e.CINreferralDate > period.end) return false;
  // A referral with no further action belongs to the year it was made in.
  if (e.ReferralNFA) return e.CINreferralDate >= period.start;
  return e.CINclosureDate === undefined || e.CINclosureDate >= period.start;
}

/**
 * An episode that began before the period returns only what happened in it, or is still going on:
 * an assessment, enquiry or plan that ended earlier was in an earlier year's return (rules 8696, 8715).
 */
function withinPeriod(e: CINdetails, period: Period): CINdetails {
  const since = (d: string | undefined) => d === undefined || d >= period.start;
  return {
    ...e,
    Assessments: e.Assessments.filter((a) => since(a.AssessmentAuthorisationDate)),
    Section47: e.Section47.filter(
      (s) =>
        s.S47ActualStartDate >= period.start ||
        (s.DateOfInitialCPC !== undefined ? s.DateOfInitialCPC >= period.start : !s.ICPCnotRequired),
    ),
    CINPlanDates: e.CINPlanDates.filter((p) => since(p.CINPlanEndDate)),
    ChildProtectionPlans: e.ChildProtectionPlans.filter((p) => since(p.CPPendDate)),
  };
}

/** Where a referrer's role, as the front door records it, sits in the census's sources. */
export const REFERRAL_SOURCE_OF_ROLE: Readonly<Record<string, ReferralSource>> = Object.freeze({
  police: '6',
  school: '2A',
  health: '3F',
  earlyYears: '2B',
  family: '1A',
  publicMember: '1D',
  otherProfessional: '8',
  anonymous: '9',
});

const CHILD_PROTECTION_STATES = new Set(['childProtectionPlan', 'preProceedings']);
const CHILD_IN_NEED_STATES = new Set(['childInNeedPlan']);
/** The front door's decisions that end a referral with no further action from social care. */
const NFA_DECISIONS = new Set(['noFurtherAction', 'adviceAndConsultation', 'universalOrSpecialistServices']);

/** The timeline's last entry for a case whose execution was ended in Temporal (client/cases.ts). */
const ENDED_OUTSIDE_THE_SERVICE = 'ENDED_OUTSIDE_THE_SERVICE';

const leaf = (path: string) => path.split('.').at(-1) ?? path;
const day = (iso: string) => localDateOf(iso);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** One case as a census episode, as far as its timeline reaches by the period's end. */
export function episodeOf(
  source: CaseForReturn,
  referral: FrontDoorReferral,
  child: string,
  end: string,
  gaps: CensusGap[],
): CaseEpisode {
  const gap = (field: string, why: string) => gaps.push({ child, caseId: source.caseId, field, why });
  const timeline = source.timeline.filter((e) => day(e.at) <= end);
  let decision: CaseEpisode['decision'];
  let assessmentStart: string | undefined;
  let assessmentDone: string | undefined;
  let factors: AssessmentFactor[] | undefined;
  let need: PrimaryNeed | undefined;
  let assessmentNfa = false;
  let censusReason: ReasonForClosure | undefined;
  let closedAt: string | undefined;
  let closureReason: string | undefined;
  const s47: (Section47 & { open: boolean })[] = [];
  const plans: (ChildProtectionPlan & { open: boolean })[] = [];
  const cinPlans: (CINPlanDates & { open: boolean })[] = [];
  const preProceedings: CaseEpisode['preProceedings'] = [];
  let latestCategory: CategoryOfAbuse | undefined;

  for (const e of timeline) {
    const on = day(e.at);
    const data = e.data ?? {};
    const from = leaf(e.from);
    const to = leaf(e.to);
    switch (e.type) {
      case 'REFERRAL_DECISION': {
        const code = str(data['decision']) ?? 'unknown';
        decision ??= { code, on };
        if (code === 'section17') assessmentStart ??= on;
        break;
      }
      case 'STRATEGY_DISCUSSION_HELD': {
        const held = day(str(data['heldAt']) ?? e.at);
        assessmentStart ??= held;
        if (data['section47Enquiry'] === true) {
          s47.push({
            S47ActualStartDate: held,
            InitialCPCtarget: initialConferenceTarget(source.context, held),
            open: true,
          });
        }
        break;
      }
      case 'ASSESSMENT_COMPLETED':
        if (!assessmentDone) {
          assessmentDone = on;
          factors = data['factors'] as AssessmentFactor[] | undefined;
          assessmentNfa = data['outcome'] === 'noFurtherAction';
        }
        need = (data['primaryNeed'] as PrimaryNeed | undefined) ?? need;
        break;
      case 'INITIAL_CONFERENCE_HELD': {
        const enquiry = s47.find((s) => s.open);
        if (enquiry) {
          enquiry.DateOfInitialCPC = day(str(data['heldAt']) ?? e.at);
          enquiry.open = false;
        }
        latestCategory = data['categoryOfAbuse'] as CategoryOfAbuse | undefined;
        break;
      }
      case 'REVIEW_CONFERENCE_HELD': {
        const plan = plans.find((p) => p.open);
        if (plan) plan.Reviews.push(day(str(data['heldAt']) ?? e.at));
        latestCategory = (data['categoryOfAbuse'] as CategoryOfAbuse | undefined) ?? latestCategory;
        if (plan && latestCategory) plan.LatestCategoryOfAbuse = latestCategory;
        break;
      }
      case 'ENTER_PRE_PROCEEDINGS': {
        const fgdm = str(data['familyGroupDecisionMaking']);
        preProceedings.push({ start: on, ...(fgdm ? { familyGroupDecisionMaking: fgdm } : {}) });
        break;
      }
      case 'CLOSE':
        censusReason = data['censusReason'] as ReasonForClosure | undefined;
        break;
    }
    if (from === 'preProceedings' && to !== 'preProceedings') {
      const pre = preProceedings.at(-1);
      if (pre && !pre.end) pre.end = on;
    }
    // An enquiry left by any way but its conference needed none (or was overtaken by proceedings).
    if (from === 'section47Enquiry' && to !== 'section47Enquiry' && e.type !== 'INITIAL_CONFERENCE_HELD') {
      for (const s of s47.filter((x) => x.open)) {
        s.ICPCnotRequired = true;
        s.open = false;
      }
    }
    if (CHILD_PROTECTION_STATES.has(to) && !CHILD_PROTECTION_STATES.has(from)) {
      const category = latestCategory;
      if (!category)
        gap('InitialCategoryOfAbuse', 'the initial conference did not record a category of abuse');
      plans.push({
        CPPstartDate: e.type === 'INITIAL_CONFERENCE_HELD' ? day(str(data['heldAt']) ?? e.at) : on,
        ...(category ? { InitialCategoryOfAbuse: category, LatestCategoryOfAbuse: category } : {}),
        NumberOfPreviousCPP: 0,
        Reviews: [],
        open: true,
      });
    }
    if (CHILD_PROTECTION_STATES.has(from) && !CHILD_PROTECTION_STATES.has(to)) {
      const plan = plans.find((p) => p.open);
      if (plan) Object.assign(plan, { CPPendDate: on, open: false });
    }
    if (CHILD_IN_NEED_STATES.has(to) && !CHILD_IN_NEED_STATES.has(from)) {
      cinPlans.push({ CINPlanStartDate: on, open: true });
    }
    if (CHILD_IN_NEED_STATES.has(from) && !CHILD_IN_NEED_STATES.has(to)) {
      const plan = cinPlans.find((p) => p.open);
      if (plan) Object.assign(plan, { CINPlanEndDate: on, open: false });
    }
    if (to === 'closed' && from !== 'closed') {
      closedAt = on;
      const closure = source.context['closure'] as { reason?: string } | undefined;
      closureReason = closure?.reason ?? str(data['closureReason']);
    }
  }

  if (timeline.some((e) => e.type === ENDED_OUTSIDE_THE_SERVICE) && !closedAt) {
    gap('CINclosureDate', 'the case was ended in Temporal, outside the service: returned as open');
  }
  const nfa = decision !== undefined && NFA_DECISIONS.has(decision.code);
  const assessments: Assessment[] = [];
  if (assessmentStart) {
    if (assessmentDone && !factors)
      gap('AssessmentFactors', 'the assessment did not record the factors identified');
    if (!assessmentDone && closedAt)
      gap('AssessmentAuthorisationDate', 'the case closed with its assessment open');
    assessments.push({
      AssessmentActualStartDate: assessmentStart,
      ...(assessmentDone ? { AssessmentAuthorisationDate: assessmentDone } : {}),
      AssessmentFactors: assessmentDone ? (factors ?? []) : [],
    });
  }
  // Recorded at the end of the assessment: until then, and where it was not recorded, "not stated".
  if (!nfa && assessmentDone && !need)
    gap('PrimaryNeedCode', 'the assessment did not record the primary need');
  const closed = !nfa && closedAt !== undefined;
  const activity = s47.length + plans.length + cinPlans.length > 0;
  const reason = closed
    ? (censusReason ?? closureReasonOf(closureReason, assessmentStart !== undefined, assessmentNfa, activity))
    : undefined;
  const details: CINdetails = {
    CINreferralDate: day(referral.receivedAt),
    ReferralSource: referral.census?.referralSource ?? referralSourceOf(referral, gap),
    ...(!nfa ? { PrimaryNeedCode: need ?? 'N0' } : {}),
    ...(closed ? { CINclosureDate: closedAt, ReasonForClosure: reason } : {}),
    ReferralNFA: nfa,
    Assessments: assessments,
    CINPlanDates: cinPlans.map(({ open: _o, ...p }) => p),
    Section47: s47.map(({ open: _o, ...s }) => s),
    ChildProtectionPlans: plans.map(({ open: _o, ...p }) => p),
  };
  return {
    caseId: source.caseId,
    child,
    receivedAt: referral.receivedAt,
    ...(decision ? { decision } : {}),
    details,
    preProceedings,
  };
}

function referralSourceOf(
  referral: FrontDoorReferral,
  gap: (f: string, why: string) => void,
): ReferralSource {
  const source = REFERRAL_SOURCE_OF_ROLE[referral.referrer.role];
  if (source) return source;
  gap('ReferralSource', `no census source for a referrer who is "${referral.referrer.role}"`);
  return '10';
}

/**
 * The reason for closure the pathway knows from how the case ended. RC8 and RC9 are for a case
 * closed after its assessment alone: once there was an enquiry or a plan, services ceased (RC7; rule 2990).
 */
export function closureReasonOf(
  reason: string | undefined,
  assessed: boolean,
  assessedNoFurtherAction: boolean,
  enquiryOrPlan = false,
): ReasonForClosure {
  if (reason === 'movedOutOfArea') return 'RC5';
  if (enquiryOrPlan) return 'RC7';
  if (assessedNoFurtherAction) return 'RC8';
  if (assessed && (reason === 'noFurtherAction' || reason === 'adviceAndConsultation')) return 'RC8';
  if (assessed && reason === 'signpostedToServices') return 'RC9';
  return 'RC7';
}

/** 15 working days after the strategy discussion (Working Together 2023), by the case's own policy. */
function initialConferenceTarget(context: Record<string, unknown>, held: string): string {
  const policy = context['policy'] as { initialConferenceWorkingDays?: number } | undefined;
  return addWorkingDays(held, policy?.initialConferenceWorkingDays ?? 15, shippedHolidays);
}

/** Each plan's count of the child's earlier plans, across all the child's cases. */
function numberPreviousPlans(episodes: CaseEpisode[]): void {
  let before = 0;
  for (const e of episodes) {
    for (const plan of e.details.ChildProtectionPlans) plan.NumberOfPreviousCPP = before++;
  }
}

type Recorded = ChildDetails & { dateOfBirth?: string };

/** The child's details as last recorded: the referrals' in turn, then those recorded since on each case. */
function recordedOf(all: { source: CaseForReturn }[]): {
  details: Recorded;
  expected?: string;
} {
  let details: Recorded = {};
  let expected: string | undefined;
  for (const { source } of all) {
    const referral = source.context['referral'] as FrontDoorReferral;
    const { referralSource: _s, ...census } = referral.census ?? {};
    const since = (source.context['childDetails'] ?? {}) as Recorded;
    const identifier = since.upn || since.upnUnknown || census.upn || census.upnUnknown;
    const kept = identifier ? withoutIdentifier(details) : details;
    details = {
      ...kept,
      ...(referral.child.dateOfBirth ? { dateOfBirth: referral.child.dateOfBirth } : {}),
      ...census,
      ...(since.upn || since.upnUnknown ? withoutIdentifier(census) : {}),
      ...since,
    };
    expected = referral.child.expectedDeliveryDate ?? expected;
  }
  return { details, ...(expected ? { expected } : {}) };
}

function withoutIdentifier<T extends { upn?: string; upnUnknown?: string }>(
  d: T,
): Omit<T, 'upn' | 'upnUnknown'> {
  const { upn: _u, upnUnknown: _r, ...rest } = d;
  return rest;
}

function identifiersOf(
  child: string,
  all: { source: CaseForReturn; episode: CaseEpisode }[],
  open: { episode: CaseEpisode }[],
  period: Period,
  gaps: CensusGap[],
): Child['ChildIdentifiers'] {
  const gap = (field: string, why: string) => gaps.push({ child, field, why });
  const { details, expected: recordedExpected } = recordedOf(all);
  let expected = recordedExpected;
  // A child born after the census date was unborn at it.
  const born = details.dateOfBirth && details.dateOfBirth <= period.end ? details.dateOfBirth : undefined;
  if (!born && details.dateOfBirth) expected ??= details.dateOfBirth;
  const unborn = !born && expected !== undefined;
  if (!born && !expected) gap('PersonBirthDate', 'no date of birth or expected date of birth');
  let sex: Sex = details.sex ?? 'U';
  if (unborn) sex = 'U';
  else if (!details.sex) gap('Sex', 'sex not recorded');
  let upnUnknown: UpnUnknown | undefined = details.upn ? undefined : details.upnUnknown;
  if (!details.upn && !upnUnknown) {
    if (open.every((o) => o.episode.details.ReferralNFA)) upnUnknown = 'UN7';
    else if (unborn || (born && !ofSchoolAge(born, period.end))) upnUnknown = 'UN1';
    else gap('UPN', 'no UPN, and no reason it is unknown');
  }
  return {
    LAchildID: child,
    ...(details.upn ? { UPN: details.upn } : {}),
    ...(upnUnknown ? { UPNunknown: upnUnknown } : {}),
    ...(born ? { PersonBirthDate: born } : expected ? { ExpectedPersonBirthDate: expected } : {}),
    Sex: sex,
  };
}

function characteristicsOf(
  child: string,
  all: { source: CaseForReturn }[],
  gaps: CensusGap[],
): Child['ChildCharacteristics'] {
  const { details, expected } = recordedOf(all);
  // An unborn child's ethnicity is not yet obtained, and no disability is known: not gaps.
  const unborn = !details.dateOfBirth && expected !== undefined;
  if (!details.ethnicity && !unborn) gaps.push({ child, field: 'Ethnicity', why: 'ethnicity not recorded' });
  if (!details.disabilities && !unborn)
    gaps.push({ child, field: 'Disabilities', why: 'disability not recorded' });
  return {
    Ethnicity: details.ethnicity ?? 'NOBT',
    Disabilities: details.disabilities ?? [],
  };
}

/**
 * Of school age by the September after the census date: born on or before 31 August six years
 * before it (as rule 8770Q counts). Younger children usually have no UPN yet (UN1).
 */
export function ofSchoolAge(birth: string, referenceDate: string): boolean {
  return birth <= `${Number(referenceDate.slice(0, 4)) - 6}-08-31`;
}
