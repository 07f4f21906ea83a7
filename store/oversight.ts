import { sql } from 'kysely';
import { localDateOf } from '../calendar/calendar';
import type { KeyRing } from '../security/keys';
import { seal, unseal } from './sealed';
import type { Store } from './store';

/** What a supervisor signs off: a case's assessment outcome, or its closure. */
export const SIGN_OFF_SUBJECTS = ['assessment', 'closure'] as const;
export type SignOffSubject = (typeof SIGN_OFF_SUBJECTS)[number];

/** A sign-off as kept: who, when and, for those who may read it, the note. */
export interface SignOff {
  caseId: string;
  subject: SignOffSubject;
  signedBy: string;
  signedAt: string;
  /** Whether a note was given (and not yet purged with the case's record). */
  hasNote: boolean;
  note?: string;
}

/** A case whose assessment outcome or closure is recorded and not yet signed off. */
export interface AwaitingSignOff {
  caseId: string;
  pathway: string;
  team: string;
  subject: SignOffSubject;
  /** The UK date the assessment was recorded or the case closed. */
  since: string;
  namedWorker?: string;
}

/** What there is to sign off on a case, from its report facts. */
export interface SignOffSubjects {
  caseId: string;
  pathway: string;
  team: string;
  namedWorker?: string;
  /** The assessment's outcome code, once one is recorded. */
  assessment?: string;
  /** The UK date the case closed, once it has. */
  closedOn?: string;
}

/** Signing off what is not there to sign, or what is already signed. */
export class SignOffError extends Error {
  constructor(
    readonly reason: 'nothingToSign' | 'alreadySigned',
    message: string,
  ) {
    super(message);
    this.name = 'SignOffError';
  }
}

const binding = (caseId: string, subject: string) => `oversight_signoff\u0000${caseId}\u0000${subject}`;
const ymd = (col: string) => sql<string>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

/**
 * Management oversight as data: supervisors' sign-offs of assessment outcomes and closures, and
 * the cases awaiting one, worked out in SQL from the report facts.
 */
export class OversightStore {
  constructor(
    private readonly db: Store,
    private readonly ring: KeyRing,
  ) {}

  /** What the case's facts show there is to sign off; undefined when the store has no facts for it. */
  async subjectsOf(caseId: string): Promise<SignOffSubjects | undefined> {
    const r = await this.db
      .selectFrom('case_facts')
      .select([
        'case_id',
        'pathway',
        'team',
        'named_worker',
        'assessment_outcome',
        ymd('closed_on').as('closed'),
      ])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      caseId: r.case_id,
      pathway: r.pathway,
      team: r.team,
      ...(r.named_worker ? { namedWorker: r.named_worker } : {}),
      ...(r.assessment_outcome ? { assessment: r.assessment_outcome } : {}),
      ...(r.closed ? { closedOn: r.closed } : {}),
    };
  }

  /**
   * Records a supervisor's sign-off. Refused (SignOffError) when the facts show nothing to sign
   * for the subject, or it is already signed: the first sign-off stands.
   */
  async signOff(
    caseId: string,
    subject: SignOffSubject,
    by: string,
    note?: string,
    at = new Date(),
  ): Promise<SignOff> {
    const subjects = await this.subjectsOf(caseId);
    const due = subject === 'assessment' ? subjects?.assessment : subjects?.closedOn;
    if (!subjects || !due)
      throw new SignOffError(
        'nothingToSign',
        subject === 'assessment' ? 'no assessment outcome is recorded yet' : 'the case is not closed',
      );
    const sealed = note ? seal(this.ring, { note }, binding(caseId, subject)) : undefined;
    const row = await this.db
      .insertInto('oversight_signoff')
      .values({
        case_id: caseId,
        subject,
        team: subjects.team,
        pathway: subjects.pathway,
        signed_by: by,
        signed_at: at,
        signed_on: localDateOf(at.toISOString()),
        key_id: sealed?.keyId ?? null,
        note: sealed?.sealed ?? null,
      })
      .onConflict((oc) => oc.columns(['case_id', 'subject']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new SignOffError('alreadySigned', `the ${subject} is already signed off`);
    return {
      caseId,
      subject,
      signedBy: by,
      signedAt: at.toISOString(),
      hasNote: !!note,
      ...(note ? { note } : {}),
    };
  }

  /** A case's sign-offs; their notes unsealed only when `withNotes`. */
  async signOffs(caseId: string, withNotes: boolean): Promise<SignOff[]> {
    const rows = await this.db
      .selectFrom('oversight_signoff')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('signed_at')
      .execute();
    return rows.map((r) => ({
      caseId: r.case_id,
      subject: r.subject,
      signedBy: r.signed_by,
      signedAt: new Date(r.signed_at).toISOString(),
      hasNote: !!r.note,
      ...(withNotes && r.note && r.key_id
        ? { note: unseal<{ note: string }>(this.ring, r.key_id, r.note, binding(r.case_id, r.subject)).note }
        : {}),
    }));
  }

  /**
   * Cases of these teams (null: every team) whose facts show an assessment outcome or a closure
   * with no sign-off for it, oldest first.
   */
  async awaiting(teams: readonly string[] | null, limit = 500): Promise<AwaitingSignOff[]> {
    if (teams && !teams.length) return [];
    const t = teams ? [...teams] : null;
    const rows = await sql<{
      case_id: string;
      pathway: string;
      team: string;
      named_worker: string | null;
      subject: SignOffSubject;
      since: string;
    }>`
      select * from (
        select case_id, pathway, team, named_worker, 'assessment' subject, to_char(assessed_on, 'YYYY-MM-DD') since
          from case_facts f
          where assessment_outcome is not null and (${t}::text[] is null or team = any(${t}::text[]))
            and not exists (select 1 from oversight_signoff s where s.case_id = f.case_id and s.subject = 'assessment')
        union all
        select case_id, pathway, team, named_worker, 'closure' subject, to_char(closed_on, 'YYYY-MM-DD') since
          from case_facts f
          where closed_on is not null and (${t}::text[] is null or team = any(${t}::text[]))
            and not exists (select 1 from oversight_signoff s where s.case_id = f.case_id and s.subject = 'closure')
      ) a
      order by since, case_id, subject
      limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({
      caseId: r.case_id,
      pathway: r.pathway,
      team: r.team,
      subject: r.subject,
      since: r.since,
      ...(r.named_worker ? { namedWorker: r.named_worker } : {}),
    }));
  }
}
