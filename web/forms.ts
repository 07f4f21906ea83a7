import { DateTime } from 'luxon';
import type { z } from 'zod';
import { ZONE } from '../calendar/calendar';
import { ANSWER_NAMES, CLOSURE_NAMES, CODE_NAMES, STATE_NAMES } from '../machines/plainEnglish';
import { DETAIL_FIELD_NAMES, NOTE_TYPE_NAMES, PERSON_ROLE_NAMES } from '../machines/common/recordKeeping';
import { own } from '../validation/lookup';
import { LABELS as CODE_LABELS, type CodeLabel } from '../machines/frontDoor/census';
import { words } from '../calendar/words';

/**
 * GOV.UK forms generated from the machines' zod schemas: the same schema draws the form,
 * reads the posted fields back, and validates them, so a form cannot drift from its contract.
 */

export type Field = FieldKind & {
  /** The group the field belongs to ("Referrer"), for messages that name it. */
  context?: string;
};
type FieldKind =
  | {
      kind: 'text' | 'textarea' | 'lines' | 'number';
      name: string;
      label: string;
      optional: boolean;
      /** The schema's description, shown under the label (an NHS number's accepted forms). */
      hint?: string;
    }
  | { kind: 'date' | 'dateTime'; name: string; label: string; optional: boolean }
  | { kind: 'boolean'; name: string; label: string; optional: boolean }
  | { kind: 'radios' | 'checkboxes'; name: string; label: string; optional: boolean; options: Option[] }
  | { kind: 'fieldset'; name: string; label: string; optional: boolean; fields: Field[] }
  | {
      kind: 'choice';
      name: string;
      label: string;
      optional: boolean;
      discriminator: string;
      branches: { value: string | boolean; text: string; fields: Field[] }[];
      /** The answer and its branch's fields belong to the form itself, not to a group of their own. */
      inline?: boolean;
    };
export interface Option {
  value: string;
  text: string;
}

/** Labels for field names that words alone would get wrong. */
const FIELD_LABELS: Record<string, string> = {
  nhsNumber: 'NHS number',
  route: 'How to contact them',
  value: 'Phone number or email address',
  childRef: "Child's social care reference",
  dateOfBirth: 'Date of birth',
  expectedDeliveryDate: 'Expected date of delivery',
  openToBuckinghamshireChildrensServices: "Open to Buckinghamshire children's services",
  receivedAt: 'When the referral was received',
  occurredAt: 'When it happened',
  reason: 'Why (a note for the record)',
  born: 'Has the baby been born?',
  familyInformed: 'Has the family been told about the referral?',
  familyNotInformedBecause: 'If the family has not been told, why not',
  significantHarmSuspected: 'Is significant harm suspected?',
  dueAt: 'When it is due',
  worker: 'Staff id of the worker',
  // The front door's Children in Need census fields (labels of their codes come with the schema).
  census: 'For the Children in Need census',
  referralSource: 'Source of the referral, as the census counts it',
  sex: 'Sex',
  ethnicity: 'Ethnicity',
  disabilities: 'Disability',
  upn: 'Unique pupil number (UPN)',
  upnUnknown: 'If the UPN is not known, why not',
  primaryNeed: "The child's primary need",
  factors: 'Factors identified at the end of the assessment',
  categoryOfAbuse: 'Category of abuse',
  censusReason: 'Reason for closure, as the census counts it (only if none of the above says it)',
  familyGroupDecisionMaking: 'Family group decision making',
};
/** Answers' labels: the machines' names for answers, codes, states and closure reasons. */
const OPTION_TEXT: Record<string, string> = {
  ...NOTE_TYPE_NAMES,
  ...PERSON_ROLE_NAMES,
  ...DETAIL_FIELD_NAMES,
  ...CODE_NAMES,
  ...STATE_NAMES,
  ...CLOSURE_NAMES,
  ...ANSWER_NAMES,
};
const LONG_TEXT = new Set([
  'notes',
  'note',
  'summary',
  'reason',
  'justification',
  'explanation',
  'outcome',
  'concern',
  'concerns',
  'advice',
  'familyNotInformedBecause',
  'healthNeeds',
]);

const labelOf = (key: string) => FIELD_LABELS[key] ?? words(key);
/** An answer's own label, if it has one (codes without one read as words split at capitals). */
export const optionLabel = (v: string): string | undefined => own(OPTION_TEXT, v);
const optionText = (v: string) => optionLabel(v) ?? words(v);

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The fields of an object schema; `omit` leaves out those the service fills in itself. A
 * discriminated union of objects (the front door's referral: told the family or not) is one
 * form: the fields every branch has, in order, with the discriminator asked where it stands and
 * each branch's own fields after it.
 */
export function fieldsOf(
  schema: z.ZodType,
  prefix = '',
  omit: readonly string[] = [],
  context?: string,
): Field[] {
  const def = defOf(schema);
  if (def.type === 'union' && !prefix) return unionFieldsOf(def, omit);
  if (def.type !== 'object') return [];
  return Object.entries(def.shape as Record<string, z.ZodType>)
    .filter(([key]) => !omit.includes(key))
    .map(([key, s]) => fieldOf(key, prefix ? `${prefix}.${key}` : key, s, false))
    .filter((f): f is Field => f !== undefined)
    .map((f) => (context ? { ...f, context } : f));
}

/** A form-level discriminated union: shared fields once (optional only if optional in every branch). */
function unionFieldsOf(def: Def, omit: readonly string[]): Field[] {
  const discriminator = def.discriminator as string | undefined;
  if (!discriminator) return [];
  const shapes = (def.options as z.ZodType[]).map((o) => defOf(o).shape as Record<string, z.ZodType>);
  const shared = (key: string) => shapes.every((shape) => key in shape);
  const requiredSomewhere = (key: string) =>
    shapes.some((shape) => shape[key] && !['optional', 'default'].includes(defOf(shape[key]).type));
  const keys = [...new Set(shapes.flatMap((shape) => Object.keys(shape)))].filter((k) => !omit.includes(k));
  return keys
    .filter((key) => key === discriminator || shared(key))
    .map((key): Field | undefined => {
      if (key !== discriminator) {
        const f = fieldOf(key, key, shapes[0]![key]!, false);
        return f && { ...f, optional: f.optional && !requiredSomewhere(key) };
      }
      return {
        kind: 'choice',
        name: key,
        label: labelOf(key),
        optional: false,
        discriminator: key,
        inline: true,
        branches: shapes.map((shape) => {
          const value = (defOf(shape[key]!).values as unknown[])[0] as string | boolean;
          const own = Object.fromEntries(Object.entries(shape).filter(([k]) => !shared(k)));
          return {
            value,
            text: typeof value === 'boolean' ? (value ? 'Yes' : 'No') : optionText(value),
            fields: Object.entries(own)
              .map(([k, s]) => fieldOf(k, `${key}.${String(value)}.${k}`, s, false))
              .filter((f): f is Field => f !== undefined),
          };
        }),
      };
    })
    .filter((f): f is Field => f !== undefined);
}

function fieldOf(key: string, name: string, schema: z.ZodType, optional: boolean): Field | undefined {
  const def = defOf(schema);
  const label = labelOf(key);
  switch (def.type) {
    case 'optional':
    case 'default':
      return fieldOf(key, name, def.innerType as z.ZodType, true);
    case 'pipe':
      return fieldOf(key, name, def.in as z.ZodType, optional);
    case 'string':
      if (def.format === 'date') return { kind: 'date', name, label, optional };
      if (def.format === 'datetime') return { kind: 'dateTime', name, label, optional };
      return {
        kind: LONG_TEXT.has(key) ? 'textarea' : 'text',
        name,
        label,
        optional,
        ...(schema.description ? { hint: schema.description } : {}),
      };
    case 'number':
      return { kind: 'number', name, label, optional };
    case 'boolean':
      return { kind: 'boolean', name, label, optional };
    case 'enum':
      return { kind: 'radios', name, label, optional, options: enumOptions(schema) };
    case 'literal':
      return undefined;
    case 'array': {
      const element = defOf(def.element as z.ZodType);
      if (element.type === 'enum') {
        return { kind: 'checkboxes', name, label, optional, options: enumOptions(def.element as z.ZodType) };
      }
      if (element.type === 'string') return { kind: 'lines', name, label: `${label} (one a line)`, optional };
      return undefined;
    }
    case 'object':
      return { kind: 'fieldset', name, label, optional, fields: fieldsOf(schema, name, [], label) };
    case 'union': {
      const discriminator = def.discriminator as string | undefined;
      if (!discriminator) return undefined;
      const branches = (def.options as z.ZodType[]).map((o) => {
        const value = (
          defOf((defOf(o).shape as Record<string, z.ZodType>)[discriminator]!).values as unknown[]
        )[0] as string | boolean;
        return {
          value,
          text: typeof value === 'boolean' ? (value ? 'Yes' : 'No') : optionText(value),
          fields: fieldsOf(o, `${name}.${String(value)}`, [discriminator]),
        };
      });
      return { kind: 'choice', name, label: labelOf(discriminator), optional, discriminator, branches };
    }
    default:
      return undefined;
  }
}

/**
 * An enum's options in words: the codes and labels its schema carries, in their list's order (a
 * census code list's, so the form shows "Police", never "6"), or its values in the service's own names.
 */
function enumOptions(schema: z.ZodType): Option[] {
  const labels = schema.meta()?.[CODE_LABELS] as CodeLabel[] | undefined;
  if (labels) return labels.map(({ code, label }) => ({ value: code, text: label }));
  return (schema as unknown as { options: string[] }).options.map((v) => ({ value: v, text: optionText(v) }));
}

export type Posted = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
const pad = (v: string, n: number) => v.padStart(n, '0');

/** Reads posted fields back into the shape the schema expects; blanks become absent. */
export function readForm(fields: Field[], posted: Posted): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const key = f.name.split('.').at(-1)!;
    const value = readField(f, posted);
    if (value === undefined) continue;
    if (f.kind === 'choice' && f.inline) Object.assign(out, value);
    else out[key] = value;
  }
  return out;
}

function readDate(name: string, posted: Posted): string | undefined {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => one(posted[`${name}-${p}`]));
  if (!d && !m && !y) return undefined;
  return `${pad(y!, 4)}-${pad(m!, 2)}-${pad(d!, 2)}`;
}

function readField(f: Field, posted: Posted): unknown {
  switch (f.kind) {
    case 'text':
    case 'textarea':
      return one(posted[f.name]) || undefined;
    case 'lines': {
      const lines = one(posted[f.name])
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return lines.length ? lines : undefined;
    }
    case 'number': {
      const v = one(posted[f.name]);
      return v === '' ? undefined : Number(v);
    }
    case 'boolean': {
      const v = one(posted[f.name]);
      return v === 'yes' ? true : v === 'no' ? false : undefined;
    }
    case 'radios':
      return one(posted[f.name]) || undefined;
    case 'checkboxes': {
      const v = posted[f.name];
      const list = (Array.isArray(v) ? v : v ? [v] : []).filter(Boolean);
      return list.length ? list : f.optional ? undefined : [];
    }
    case 'date':
      return readDate(f.name, posted);
    case 'dateTime': {
      const date = readDate(f.name, posted);
      const time = one(posted[`${f.name}-time`]) || '00:00';
      if (!date) return undefined;
      const t = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
      return t.isValid ? t.toUTC().toISO({ suppressMilliseconds: true }) : `${date}T${time}`;
    }
    case 'fieldset': {
      const value = readForm(f.fields, posted);
      return f.optional && Object.keys(value).length === 0 ? undefined : value;
    }
    case 'choice': {
      const chosen = one(posted[f.name]);
      const branch = f.branches.find((b) => String(b.value) === chosen);
      if (!branch) return undefined;
      return { [f.discriminator]: branch.value, ...readForm(branch.fields, posted) };
    }
  }
}

/** Messages by field name ('' for the whole form), each with the link its error-summary entry needs. */
export type FormErrors = Map<string, { text: string; href: string }>;

/** A schema's issues as GOV.UK error messages: the first per field, in the form's order of issues. */
export function formErrors(
  fields: Field[],
  issues: readonly { path: PropertyKey[]; message: string; code: string }[],
  posted: Posted,
): FormErrors {
  const errors: FormErrors = new Map();
  for (const issue of issues) {
    const f = fieldForPath(fields, issue.path, posted);
    if (f && !errors.has(f.name)) {
      errors.set(f.name, { text: messageFor(f, issue.message, issue.code, posted), href: `#${inputId(f)}` });
    }
  }
  return errors;
}

export const inlineMessages = (errors: FormErrors) =>
  new Map([...errors].filter(([name]) => name).map(([name, e]) => [name, e.text]));

/** The field an issue's path points at, for the error summary's link and the inline message. */
function fieldForPath(fields: Field[], path: readonly PropertyKey[], posted: Posted): Field | undefined {
  const [head, ...rest] = path.map(String);
  const f = fields.find((x) => x.name.split('.').at(-1) === head);
  if (!f) {
    // A field of the chosen branch of a form-level choice.
    for (const c of fields) {
      if (c.kind !== 'choice' || !c.inline) continue;
      const branch = c.branches.find((b) => String(b.value) === one(posted[c.name]));
      const inBranch = branch && fieldForPath(branch.fields, path, posted);
      if (inBranch) return inBranch;
    }
    return undefined;
  }
  if (rest.length === 0) return f;
  if (f.kind === 'fieldset') return fieldForPath(f.fields, rest, posted) ?? f;
  if (f.kind === 'choice') {
    const branch = f.branches.find((b) => String(b.value) === one(posted[f.name]));
    return (branch && fieldForPath(branch.fields, rest, posted)) ?? f;
  }
  return f;
}

/** The id of a field's first input, for the error summary's link. */
function inputId(f: Field): string {
  const id = f.name.replace(/\./g, '-');
  if (f.kind === 'date' || f.kind === 'dateTime') return `${id}-day`;
  return id;
}

/** A zod message in words a caseworker can act on, naming the field and its group. */
function messageFor(f: Field, message: string, code: string, posted: Posted): string {
  // Lower case, but an initialism keeps its capitals ("parent NHS number").
  const name = (f.context ? `${f.context} ${f.label}` : f.label).replace(/\b\w+\b/g, (w) =>
    /^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase(),
  );
  const given = f.kind === 'date' || f.kind === 'dateTime' ? readDate(f.name, posted) : one(posted[f.name]);
  if (f.kind === 'date' || f.kind === 'dateTime') {
    return given ? `${f.context ? `${f.context}: ` : ''}${f.label} must be a real date` : `Enter ${name}`;
  }
  if (!given) {
    if (f.label.endsWith('?') || f.kind === 'choice') return `Select an answer to “${f.label}”`;
    if (f.kind === 'boolean') return `Select yes or no for “${f.label}”`;
    if (f.kind === 'radios' || f.kind === 'checkboxes') return `Select ${name}`;
    return `Enter ${name}`;
  }
  if (code === 'too_big')
    return `${f.label} is too long: ${message.replace(/^Too big: expected string to have /, '')}`;
  if (code === 'too_small') return `${f.label} is too short`;
  if (code === 'invalid_format') return `Enter ${name} in the right format`;
  return `${f.label}: ${message}`;
}
