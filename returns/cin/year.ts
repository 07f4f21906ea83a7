import { addDays, addMonths, addWorkingDays, isWorkingDay } from '../../calendar/calendar';
import { shippedHolidays } from '../../calendar/holidays';
import { seededRandom } from '../../tools/seededRandom';
import { CaseRecord } from '../../workflows/caseRecord';
import {
  ASSESSMENT_FACTOR,
  DISABILITY,
  ETHNICITY,
  REFERRAL_SOURCE,
  codesOf,
  type AssessmentFactor,
  type CategoryOfAbuse,
  type Disability,
  type PrimaryNeed,
} from './codes';
import { ofSchoolAge, type CaseForReturn } from './fromCases';
import { collectionPeriod, upn } from './sample';

/**
 * A made-up year at the front door, driven through the front door's own machine: each child's
 * referral opens a case (CaseRecord, as the workflow opens it) and the case is moved on by the
 * events a caseworker, a supervisor or the court's system would send, each checked by the case as
 * the service checks it. The census is then exported from these cases as from real ones.
 *
 * Seeded, so the same seed gives the same year. No real child's data: names, references, dates and
 * codes are drawn at random.
 */

export const YEAR_ROUTES = [
  'noFurtherAction',
  'advice',
  'signposted',
  'assessedNoFurtherAction',
  'childInNeedPlan',
  'childInNeedPlanEnded',
  'strategyNoEnquiry',
  'protectionStepDown',
  'protectionOpen',
  'conferenceNoPlan',
  'enquiryNoConference',
  'preProceedings',
  'careProceedings',
  'transferredOut',
  'reReferral',
  'turning18',
  'unborn',
  'spansYearStart',
] as const;
export type YearRoute = (typeof YEAR_ROUTES)[number];

export interface YearOptions {
  collectionYear: string;
  children: number;
  seed: number;
  lea?: string;
}

export interface GeneratedChild {
  route: YearRoute;
  childRef: string;
  cases: CaseForReturn[];
}

const CASEWORKER = { id: 'cw-generated', role: 'caseworker' } as const;
const SUPERVISOR = { id: 'sup-generated', role: 'supervisor' } as const;
const COURT = { id: 'system:court', role: 'system' } as const;
const ROLES = [
  'police',
  'school',
  'health',
  'earlyYears',
  'family',
  'publicMember',
  'otherProfessional',
] as const;

/** Several hundred children through every route, with their cases. */
export function generatedYear(options: YearOptions): GeneratedChild[] {
  const { start, end } = collectionPeriod(options.collectionYear);
  const lea = options.lea ?? '825';
  const pick = seededRandom(options.seed);
  const out: GeneratedChild[] = [];
  for (let i = 0; i < options.children; i++) {
    const route = YEAR_ROUTES[i % YEAR_ROUTES.length]!;
    const childRef = `BCS-${String(100000 + i)}`;
    const g = new Generator(pick, { start, end, lea }, i, childRef);
    out.push({ route, childRef, cases: g.route(route) });
  }
  return out;
}

class Generator {
  constructor(
    private readonly pick: () => number,
    private readonly year: { start: string; end: string; lea: string },
    private readonly index: number,
    private readonly childRef: string,
  ) {}

  private n = 0;
  private birth = '';

  route(route: YearRoute): CaseForReturn[] {
    const { start, end } = this.year;
    // Most referrals come in the year; a route that needs months ahead of it starts earlier.
    const span = route === 'spansYearStart' ? -150 : 0;
    const latest = route === 'noFurtherAction' || route === 'advice' ? 360 : 300;
    // Every other unborn child is referred in the year's last weeks, still unborn on 31 March.
    const lateUnborn = route === 'unborn' && this.index % (2 * YEAR_ROUTES.length) < YEAR_ROUTES.length;
    const receivedOn = lateUnborn
      ? this.workingDay(addDays(end, -40 + Math.floor(this.pick() * 25)))
      : this.workingDay(addDays(start, span + Math.floor(this.pick() * (latest - Math.max(span, 0)))));
    const age =
      route === 'turning18'
        ? 17 * 365 + 300 + Math.floor(this.pick() * 40)
        : 30 + Math.floor(this.pick() * 17 * 365);
    this.birth = addDays(receivedOn, -age);
    switch (route) {
      case 'noFurtherAction':
      case 'advice':
      case 'signposted':
        return [this.decided(receivedOn, route)];
      case 'assessedNoFurtherAction':
        return [this.assessed(receivedOn, 'noFurtherAction')];
      case 'childInNeedPlan':
        return [this.assessed(receivedOn, 'plan')];
      case 'childInNeedPlanEnded':
        return [this.assessed(receivedOn, 'planEnded')];
      case 'strategyNoEnquiry':
        return [this.strategyNoEnquiry(receivedOn)];
      case 'protectionStepDown':
        return [this.protection(receivedOn, 'stepDown')];
      case 'protectionOpen':
      case 'spansYearStart':
        return [this.protection(receivedOn, 'open')];
      case 'conferenceNoPlan':
        return [this.protection(receivedOn, 'noPlan')];
      case 'enquiryNoConference':
        return [this.protection(receivedOn, 'noConference')];
      case 'preProceedings':
        return [this.protection(receivedOn, 'preProceedings')];
      case 'careProceedings':
        return [this.protection(receivedOn, 'careProceedings')];
      case 'transferredOut':
        return [this.assessed(receivedOn, 'transferred')];
      case 'turning18':
        return [this.assessed(receivedOn, 'adult')];
      case 'unborn':
        return [this.protection(receivedOn, 'unborn')];
      case 'reReferral': {
        const first = this.decided(receivedOn, 'noFurtherAction');
        const again = this.workingDay(addDays(receivedOn, 20 + Math.floor(this.pick() * 60)));
        return [first, this.assessed(again, 'plan', first.caseId)];
      }
    }
  }

  /** A referral decided on the next working day with no further action, advice, or signposting. */
  private decided(on: string, how: 'noFurtherAction' | 'advice' | 'signposted'): CaseForReturn {
    const c = this.open(on);
    const decision = {
      noFurtherAction: 'noFurtherAction',
      advice: 'adviceAndConsultation',
      signposted: 'universalOrSpecialistServices',
    }[how];
    c.send('REFERRAL_DECISION', this.next(on, 1), {
      decision,
      signposting: how === 'signposted' ? ['Early help: family support worker'] : [],
    });
    return c.done();
  }

  /** Section 17: an assessment, then no further action, a plan (open, ended, moved away), or adult services. */
  private assessed(
    on: string,
    how: 'noFurtherAction' | 'plan' | 'planEnded' | 'transferred' | 'adult',
    previousCaseId?: string,
  ): CaseForReturn {
    const c = this.open(on, previousCaseId);
    const decided = this.next(on, 1);
    c.send('REFERRAL_DECISION', decided, { decision: 'section17', signposting: [] });
    const assessed = this.next(decided, how === 'adult' ? 10 : 10 + Math.floor(this.pick() * 30));
    c.send('ASSESSMENT_COMPLETED', assessed, {
      outcome: how === 'noFurtherAction' ? 'noFurtherAction' : 'childInNeedPlan',
      ...this.assessment(
        how === 'noFurtherAction' ? ['N4', 'N5', 'N6', 'N8'] : ['N2', 'N3', 'N4', 'N5', 'N7'],
      ),
    });
    if (how === 'planEnded') c.send('PLAN_ENDED', this.next(assessed, 40 + Math.floor(this.pick() * 80)));
    if (how === 'transferred') {
      c.send(
        'CLOSE',
        this.next(assessed, 30 + Math.floor(this.pick() * 60)),
        { closureReason: 'movedOutOfArea' },
        SUPERVISOR,
      );
    }
    if (how === 'adult') {
      // Support ends on the eve of the 18th birthday, handed on to adult social care.
      const eighteen = addMonths(this.birth, 18 * 12);
      const last = this.workingDayBefore(eighteen);
      c.send(
        'CLOSE',
        last > assessed ? last : this.next(assessed, 1),
        { closureReason: 'other', note: 'Turning 18: handed on to adult social care', censusReason: 'RC6' },
        SUPERVISOR,
      );
    }
    return c.done();
  }

  /** A strategy discussion that found no enquiry needed: back to the assessment, then a plan. */
  private strategyNoEnquiry(on: string): CaseForReturn {
    const c = this.open(on, undefined, true);
    const held = on;
    c.send('STRATEGY_DISCUSSION_HELD', held, { heldAt: this.at(held), section47Enquiry: false });
    const assessed = this.next(held, 15 + Math.floor(this.pick() * 20));
    c.send('ASSESSMENT_COMPLETED', assessed, {
      outcome: 'childInNeedPlan',
      ...this.assessment(['N1', 'N4']),
    });
    return c.done();
  }

  /**
   * Section 47: decision, strategy discussion and enquiry, the assessment, then a conference and
   * what followed it.
   */
  private protection(
    on: string,
    how: 'stepDown' | 'open' | 'noPlan' | 'noConference' | 'preProceedings' | 'careProceedings' | 'unborn',
  ): CaseForReturn {
    const unborn = how === 'unborn';
    const urgent = !unborn && this.pick() < 0.3;
    const c = this.open(on, undefined, urgent, unborn);
    let day = on;
    if (!urgent) {
      day = this.next(on, 1);
      c.send('REFERRAL_DECISION', day, { decision: 'section47', signposting: [] });
    }
    const held = urgent ? on : day;
    c.send('STRATEGY_DISCUSSION_HELD', held, { heldAt: this.at(held), section47Enquiry: true });
    c.send('ENQUIRY_STEP_RECORDED', this.next(held, 1), {
      step: 'childSeen',
      occurredAt: this.at(this.next(held, 1)),
    });
    const assessed = this.next(held, 5 + Math.floor(this.pick() * 8));
    c.send('ASSESSMENT_COMPLETED', assessed, { outcome: 'childInNeedPlan', ...this.assessment(['N1']) });
    if (how === 'noConference') {
      c.send('CLOSE', this.next(assessed, 2), { closureReason: 'noFurtherAction' }, SUPERVISOR);
      return c.done();
    }
    const conference = this.next(
      held,
      Math.max(addWorkingDaysBetween(held, assessed) + 1, 10 + Math.floor(this.pick() * 5)),
    );
    if (how === 'noPlan') {
      c.send('INITIAL_CONFERENCE_HELD', conference, {
        heldAt: this.at(conference),
        outcome: this.pick() < 0.5 ? 'childInNeedPlan' : 'noFurtherAction',
      });
      return c.done();
    }
    const category = this.one<CategoryOfAbuse>(['NEG', 'NEG', 'EMO', 'PHY', 'SAB', 'MUL']);
    c.send('INITIAL_CONFERENCE_HELD', conference, {
      heldAt: this.at(conference),
      outcome: 'childProtectionPlan',
      categoryOfAbuse: category,
    });
    c.send('CORE_GROUP_HELD', this.next(conference, 8), { heldAt: this.at(this.next(conference, 8)) });
    const born = addDays(on, 30 + Math.floor(this.pick() * 40));
    if (unborn && born <= this.year.end) {
      // Born some weeks after the referral: the date of birth, sex and no UPN yet. One due after
      // the year's end is still unborn at the census date.
      c.send('CHILD_DETAILS_RECORDED', this.workingDay(born), {
        dateOfBirth: born,
        sex: this.pick() < 0.5 ? 'F' : 'M',
        ethnicity: this.one(codesOf(ETHNICITY)),
        disabilities: ['NONE'],
        upnUnknown: 'UN1',
      });
    }
    const review = this.workingDay(addDays(conference, 91));
    c.send('REVIEW_CONFERENCE_HELD', review, {
      heldAt: this.at(review),
      outcome: how === 'stepDown' ? 'stepDownToChildInNeed' : 'continuePlan',
      ...(this.pick() < 0.2 ? { categoryOfAbuse: 'MUL' } : {}),
    });
    if (how === 'stepDown') {
      c.send('PLAN_ENDED', this.next(review, 40 + Math.floor(this.pick() * 60)));
    }
    if (how === 'preProceedings' || how === 'careProceedings') {
      const plo = this.next(review, 5);
      c.send(
        'ENTER_PRE_PROCEEDINGS',
        plo,
        { familyGroupDecisionMaking: this.one(['HELD', 'HELD', 'DECLINED', 'NOTOFFERED'] as const) },
        SUPERVISOR,
      );
      if (how === 'preProceedings') {
        c.send('PRE_PROCEEDINGS_ENDED', this.next(plo, 40 + Math.floor(this.pick() * 20)), {}, SUPERVISOR);
      } else {
        const issued = this.next(plo, 30);
        c.send('CARE_PROCEEDINGS_ISSUED', issued, { issuedAt: this.at(issued) }, COURT);
        c.send('PROCEEDINGS_CONCLUDED', this.next(issued, 100 + Math.floor(this.pick() * 30)), {}, COURT);
      }
    }
    return c.done();
  }

  /** A case opened for the child's referral on a working day at 10:00. */
  private open(on: string, previousCaseId?: string, harm = false, unborn = false) {
    const caseId = `frontDoor-generated-${this.index}-${this.n++}`;
    const school = !unborn && ofSchoolAge(this.birth, this.year.end);
    const role = this.one(ROLES);
    const referral = {
      receivedAt: this.at(on),
      referrer: { role, name: 'Made-up referrer', contact: { route: 'phone', value: '01296 000000' } },
      child: unborn
        ? { name: 'Unborn child', expectedDeliveryDate: addDays(on, 50) }
        : { name: 'Made-up child', dateOfBirth: this.birth },
      childRef: this.childRef,
      concerns: 'Made-up concerns',
      significantHarmSuspected: harm,
      familyInformed: true,
      census: {
        // Some referrals say their census source; the rest have it derived from the referrer's role.
        ...(this.pick() < 0.4 ? { referralSource: this.one(codesOf(REFERRAL_SOURCE)) } : {}),
        ...(unborn
          ? {}
          : {
              sex: this.pick() < 0.5 ? ('F' as const) : ('M' as const),
              ethnicity: this.one(codesOf(ETHNICITY)),
              disabilities: this.disabilities(),
              ...(school ? { upn: upn(this.year.lea, this.index) } : {}),
            }),
      },
    };
    return frontDoorCase(caseId, referral, previousCaseId);
  }

  private assessment(needs: PrimaryNeed[]): { primaryNeed: PrimaryNeed; factors: AssessmentFactor[] } {
    const pool = codesOf(ASSESSMENT_FACTOR).filter((f) => f !== '21');
    return { primaryNeed: this.one(needs), factors: this.distinct(pool, 1 + Math.floor(this.pick() * 3)) };
  }

  private disabilities(): Disability[] {
    return this.pick() < 0.75
      ? ['NONE']
      : this.distinct(codesOf(DISABILITY).slice(1), 1 + Math.floor(this.pick() * 2));
  }

  private at(date: string): string {
    return `${date}T10:00:00Z`;
  }
  private workingDay(date: string): string {
    let d = date;
    while (!isWorkingDay(d, shippedHolidays)) d = addDays(d, 1);
    return d;
  }
  private workingDayBefore(date: string): string {
    let d = addDays(date, -1);
    while (!isWorkingDay(d, shippedHolidays)) d = addDays(d, -1);
    return d;
  }
  private next(date: string, workingDays: number): string {
    return addWorkingDays(this.workingDay(date), workingDays, shippedHolidays);
  }
  private one<T>(from: readonly T[]): T {
    return from[Math.floor(this.pick() * from.length)]!;
  }
  private distinct<T>(from: readonly T[], n: number): T[] {
    const pool = [...from];
    const out: T[] = [];
    while (out.length < n && pool.length > 0)
      out.push(pool.splice(Math.floor(this.pick() * pool.length), 1)[0]!);
    return out;
  }
}

/**
 * A front door case opened for a referral, as the workflow opens one, moved on by events each
 * checked by the case as the service checks them (a refused one throws, naming the rule).
 */
export function frontDoorCase(caseId: string, referral: { receivedAt: string }, previousCaseId?: string) {
  const { record } = CaseRecord.open({
    caseId,
    pathway: 'frontDoor',
    referral,
    team: 'front-door',
    calendar: shippedHolidays,
    at: referral.receivedAt,
    actor: CASEWORKER,
    ...(previousCaseId ? { previousCaseId } : {}),
  });
  let seq = 0;
  return {
    caseId,
    /** Sends an event at 10:00 on a day (an ISO date) or at an instant. */
    send(type: string, on: string, fields: object = {}, actor: object = CASEWORKER) {
      const at = on.length === 10 ? `${on}T10:00:00Z` : on;
      record.apply(record.check({ type, eventId: `${caseId}:${++seq}`, at, actor, ...fields }));
      return this;
    },
    done: (): CaseForReturn => ({ caseId, context: record.details(), timeline: record.timeline() }),
  };
}

export const ACTORS = { caseworker: CASEWORKER, supervisor: SUPERVISOR, court: COURT } as const;

/** Working days from one working day to a later one. */
function addWorkingDaysBetween(from: string, to: string): number {
  let n = 0;
  let d = from;
  while (d < to) {
    d = addWorkingDays(d, 1, shippedHolidays);
    n++;
  }
  return n;
}
