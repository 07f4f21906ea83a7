import { createHmac, hkdfSync } from 'node:crypto';
import { sql } from 'kysely';
import type { PathwayId } from '../machines/common/case';
import type { KeyRing } from '../security/keys';
import { seal, unseal } from './sealed';
import type { Store } from './store';

/** A person a case is about, as the referral gives them. */
export interface PersonDetails {
  /** Their part in the case: `parent`, `baby`, `child` or `person` (leaving custody). */
  role: string;
  name?: string;
  dateOfBirth?: string;
  nhsNumber?: string;
  /** The child's reference in children's social care. */
  socialCareRef?: string;
}

/** How a person can be recognised: each is kept only as a keyed hash. */
export type IdentifierKind = 'nhsNumber' | 'birthAndFamilyName' | 'socialCareRef';

export interface PersonMatch {
  caseId: string;
  role: string;
  /** Which identifiers matched. */
  on: IdentifierKind[];
}

/** The person index's key: its own in the key ring, or derived from the link key for older rings. */
export function personIndexKeyOf(ring: KeyRing): Buffer {
  return (
    ring.personIndexKey ??
    Buffer.from(hkdfSync('sha256', ring.linkKey, Buffer.alloc(0), 'reconnect-cases person index', 32))
  );
}

/** The family name as compared: the last word of the name, letters only, upper case. */
export function familyNameOf(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Z]/g, ''))
    .filter(Boolean);
  return words.at(-1) ?? '';
}

/** A person's identifiers in normal form: the same person written differently gives the same values. */
export function identifiersOf(p: Omit<PersonDetails, 'role'>): Partial<Record<IdentifierKind, string>> {
  const out: Partial<Record<IdentifierKind, string>> = {};
  const nhs = p.nhsNumber?.replace(/\s/g, '');
  if (nhs && /^\d{10}$/.test(nhs)) out.nhsNumber = nhs;
  const family = p.name ? familyNameOf(p.name) : '';
  if (p.dateOfBirth && family) out.birthAndFamilyName = `${p.dateOfBirth}|${family}`;
  const ref = p.socialCareRef?.trim().toUpperCase().replace(/\s+/g, '');
  if (ref) out.socialCareRef = ref;
  return out;
}

const binding = (caseId: string, role: string) => `person\u0000${caseId}\u0000${role}`;

/**
 * "Is this person known to us?": for each case, keyed hashes of its people's normalised
 * identifiers, so one indexed lookup finds them across pathways and closed cases with no
 * identifier kept in plain text; and each person's name and date of birth, sealed, for the pages
 * that may show them.
 */
export class PersonIndex {
  private readonly key: Buffer;

  constructor(
    private readonly db: Store,
    private readonly ring: KeyRing,
  ) {
    this.key = personIndexKeyOf(ring);
  }

  private digest(kind: IdentifierKind, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${value}`).digest('base64url');
  }

  /** Records (or replaces) a case's people: a correction re-indexes them. */
  async index(caseId: string, people: readonly PersonDetails[], at = new Date()): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('person_key').where('case_id', '=', caseId).execute();
      await trx.deleteFrom('person').where('case_id', '=', caseId).execute();
      for (const p of people) {
        const { keyId, sealed } = seal(
          this.ring,
          { name: p.name, dateOfBirth: p.dateOfBirth },
          binding(caseId, p.role),
        );
        await trx
          .insertInto('person')
          .values({ case_id: caseId, role: p.role, key_id: keyId, details: sealed, updated_at: at })
          .execute();
        const ids = Object.entries(identifiersOf(p)) as [IdentifierKind, string][];
        if (ids.length)
          await trx
            .insertInto('person_key')
            .values(
              ids.map(([kind, v]) => ({ case_id: caseId, role: p.role, kind, digest: this.digest(kind, v) })),
            )
            .execute();
      }
    });
  }

  /** Cases whose people share an identifier with this person, strongest matches first. */
  async find(person: Omit<PersonDetails, 'role'>): Promise<PersonMatch[]> {
    const ids = Object.entries(identifiersOf(person)) as [IdentifierKind, string][];
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('person_key')
      .select(['case_id', 'role', 'kind'])
      .where((eb) =>
        eb.or(
          ids.map(([kind, v]) => eb.and([eb('digest', '=', this.digest(kind, v)), eb('kind', '=', kind)])),
        ),
      )
      .execute();
    const byPerson = new Map<string, PersonMatch>();
    for (const r of rows) {
      const k = `${r.case_id}\u0000${r.role}`;
      const m = byPerson.get(k) ?? { caseId: r.case_id, role: r.role, on: [] };
      m.on.push(r.kind as IdentifierKind);
      byPerson.set(k, m);
    }
    return [...byPerson.values()].sort(
      (a, b) => b.on.length - a.on.length || a.caseId.localeCompare(b.caseId),
    );
  }

  /** The people of these cases, unsealed, for pages whose reader may see them. */
  async people(caseIds: readonly string[]): Promise<Map<string, PersonDetails[]>> {
    if (!caseIds.length) return new Map();
    return this.unsealed(
      await this.db
        .selectFrom('person')
        .select(['case_id', 'role', 'key_id', 'details'])
        .where(sql<boolean>`case_id = any(${[...caseIds]}::text[])`)
        .orderBy('case_id')
        .orderBy('role')
        .execute(),
    );
  }

  /**
   * The people of the open cases of these teams, as the report facts last placed them: what a
   * team's list will mostly need, read while the list itself is read. The caller still picks,
   * from the cases it lists, those its reader may see, and asks `people` for any not found here.
   */
  async peopleOfTeams(teams: readonly string[]): Promise<Map<string, PersonDetails[]>> {
    if (!teams.length) return new Map();
    return this.unsealed(
      await this.db
        .selectFrom('person')
        .innerJoin('case_facts', 'case_facts.case_id', 'person.case_id')
        .select(['person.case_id', 'person.role', 'person.key_id', 'person.details'])
        .where(sql<boolean>`case_facts.team = any(${[...teams]}::text[])`)
        .where('case_facts.open', '=', true)
        .orderBy('person.case_id')
        .orderBy('person.role')
        .execute(),
    );
  }

  private unsealed(
    rows: readonly { case_id: string; role: string; key_id: string; details: Uint8Array }[],
  ): Map<string, PersonDetails[]> {
    const out = new Map<string, PersonDetails[]>();
    for (const r of rows) {
      const d = unseal<{ name?: string; dateOfBirth?: string }>(
        this.ring,
        r.key_id,
        r.details,
        binding(r.case_id, r.role),
      );
      out.set(r.case_id, [
        ...(out.get(r.case_id) ?? []),
        {
          role: r.role,
          ...(d.name ? { name: d.name } : {}),
          ...(d.dateOfBirth ? { dateOfBirth: d.dateOfBirth } : {}),
        },
      ]);
    }
    return out;
  }
}

/** Each pathway's prefix for case references, for example `PI-26-0042`. */
export const REFERENCE_PREFIX: Readonly<Record<PathwayId, string>> = Object.freeze({
  parentInfant: 'PI',
  frontDoor: 'FD',
  reconnect: 'RC',
  enhancedReconnect: 'ER',
});

/** A case reference as people say and type it. */
export const REFERENCE_PATTERN = /^(PI|FD|RC|ER)-\d{2}-\d{4,}$/;

/**
 * Short, human references, unique across the service: the pathway's prefix, the two-digit year
 * the case opened and a number counted per prefix and year, allocated in one statement so two
 * processes never hand out the same one.
 */
export class CaseReferences {
  constructor(private readonly db: Store) {}

  /** The case's reference, allocated on first asking; asking again gives the same one. */
  async allocate(caseId: string, pathway: PathwayId, at = new Date()): Promise<string> {
    const existing = await this.of(caseId);
    if (existing) return existing;
    const prefix = `${REFERENCE_PREFIX[pathway]}-${String(at.getUTCFullYear() % 100).padStart(2, '0')}`;
    return this.db.transaction().execute(async (trx) => {
      const { last } = await trx
        .insertInto('reference_counter')
        .values({ prefix, last: 1 })
        .onConflict((oc) =>
          oc.column('prefix').doUpdateSet((eb) => ({ last: eb('reference_counter.last', '+', 1) })),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      const reference = `${prefix}-${String(last).padStart(4, '0')}`;
      const row = await trx
        .insertInto('case_reference')
        .values({ reference, case_id: caseId, pathway })
        .onConflict((oc) => oc.column('case_id').doNothing())
        .returning('reference')
        .executeTakeFirst();
      // Allocated meanwhile by another process for the same case: theirs stands.
      return row?.reference ?? (await this.of(caseId))!;
    });
  }

  async of(caseId: string): Promise<string | undefined> {
    return (
      await this.db
        .selectFrom('case_reference')
        .select('reference')
        .where('case_id', '=', caseId)
        .executeTakeFirst()
    )?.reference;
  }

  /** The case a reference names, if any (written in any case, with or without spaces). */
  async caseOf(reference: string): Promise<string | undefined> {
    const r = reference.trim().toUpperCase().replace(/\s+/g, '');
    return (
      await this.db
        .selectFrom('case_reference')
        .select('case_id')
        .where('reference', '=', r)
        .executeTakeFirst()
    )?.case_id;
  }

  /** References of many cases at once, for lists. */
  async many(caseIds: readonly string[]): Promise<Map<string, string>> {
    if (!caseIds.length) return new Map();
    const rows = await this.db
      .selectFrom('case_reference')
      .select(['case_id', 'reference'])
      .where('case_id', 'in', [...caseIds])
      .execute();
    return new Map(rows.map((r) => [r.case_id, r.reference]));
  }
}
