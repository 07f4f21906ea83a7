import type { CaseSnapshot } from './case';

/** The innermost state name: `{ open: 'screening' }` → `screening`. */
export function stateName(snapshot: Pick<CaseSnapshot, 'value'>): string {
  let value = snapshot.value;
  while (value && typeof value === 'object') value = Object.values(value)[0];
  return String(value);
}

/** The full dotted path: `{ open: 'screening' }` → `open.screening`. */
export function statePath(snapshot: Pick<CaseSnapshot, 'value'>): string {
  const parts: string[] = [];
  let value = snapshot.value;
  while (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value)[0] ?? [];
    if (key === undefined) break;
    parts.push(key);
    value = inner;
  }
  parts.push(String(value));
  return parts.join('.');
}
