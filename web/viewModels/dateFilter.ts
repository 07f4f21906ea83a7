import { DateTime } from 'luxon';

/**
 * A date asked for in a GOV.UK date input (`name-day`, `name-month`, `name-year`), or given
 * whole as `name` (YYYY-MM-DD) by a link: the date, what the boxes show, and an error when the
 * boxes do not make a real date.
 */
export function dateFilter(
  q: Record<string, string | undefined>,
  name: string,
): {
  date?: string;
  input: { day: string; month: string; year: string; error?: string };
  error?: { text: string; href: string };
} {
  const whole = q[name] && /^\d{4}-\d{2}-\d{2}$/.test(q[name]) ? q[name] : undefined;
  const parts = whole ? whole.split('-') : [q[`${name}-year`], q[`${name}-month`], q[`${name}-day`]];
  const [year, month, day] = parts.map((p) => (p ?? '').trim().slice(0, 4));
  const input = { day: day!, month: month!, year: year! };
  if (!day && !month && !year) return { input };
  const d = DateTime.fromObject({ year: Number(year), month: Number(month), day: Number(day) });
  if (/^\d{4}$/.test(year!) && /^\d{1,2}$/.test(month!) && /^\d{1,2}$/.test(day!) && d.isValid)
    return { date: d.toISODate(), input };
  const text = 'Next deadline by must be a real date, for example 27 3 2027';
  return { input: { ...input, error: text }, error: { text, href: `#${name}-day` } };
}
