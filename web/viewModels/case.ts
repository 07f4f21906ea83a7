import { shippedHolidays } from '../../calendar/holidays';
import { dateTime, deadlineInWords, longDate, words } from '../../calendar/words';
import type { CaseView } from '../../contract/case';
import { actionsFor } from '../../access/actions';
import { pathwayName, stateName } from '../../machines/plainEnglish';
import { fieldsOf, optionLabel, type Field } from '../forms';

const now = () => new Date().toISOString();

/** A case as pages show it: its pathway and state in words, its deadlines in words, overdue first. */
export function describedCase(v: CaseView) {
  return {
    ...v,
    pathwayName: pathwayName(v.pathway),
    stateName: stateName(v.state),
    // Overdue clocks first: they stand until met, then what is still to come.
    deadlines: [...(v.overdue ?? []), ...v.deadlines].map((d) => ({
      ...d,
      words: deadlineInWords(d.at, now(), shippedHolidays),
      when: dateTime(d.at),
    })),
  };
}
export type DescribedCase = ReturnType<typeof describedCase>;

/** The fields a person fills in for an action: the service adds who, when and the event id. */
export function actionFields(caseId: string, type: string): Field[] | undefined {
  const union = actionsFor(caseId) as unknown as { options: { shape: { type: { value: string } } }[] };
  const schema = union.options.find((o) => o.shape.type.value === type);
  if (!schema) return undefined;
  // What is decided comes first; why (the note for the record) after it.
  const fields = fieldsOf(schema as never, '', ['type', 'eventId']);
  return [...fields.filter((f) => f.name !== 'reason'), ...fields.filter((f) => f.name === 'reason')];
}

/** A recorded value as a page shows it: dates in words, codes by their labels, yes or no. */
export function valueInWords(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value !== 'string') return JSON.stringify(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return longDate(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return dateTime(value);
  return optionLabel(value) ?? value;
}

/** A record's fields as label–value rows, nested fields joined with a dash. */
export function flatten(value: unknown, prefix = ''): { key: string; value: string }[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value))
    return value.length && typeof value[0] !== 'object'
      ? [{ key: prefix, value: value.map(valueInWords).join(', ') }]
      : value.flatMap((v, i) => flatten(v, `${prefix} ${i + 1}`));
  if (typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      flatten(v, prefix ? `${prefix} – ${words(k).toLowerCase()}` : words(k)),
    );
  return [{ key: prefix, value: valueInWords(value) }];
}
