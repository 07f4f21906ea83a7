import { isReportScope, scopeAllows } from '../auth/caller';
import { closureName, codeName, eventName, pathwayName, stateName } from '../machines/plainEnglish';
import { own } from '../validation/lookup';
import { actingRole } from '../access/rules';
import { rolesFor } from './schemas';

// A caller's string that indexes a table (an action type, a scope, a code in a page's query)
// finds only the table's own entries: the names every object inherits are not entries.

/** Names every plain object has through its prototype. */
const PROTOTYPE_KEYS = [
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
];
const caseId = 'reconnect-00000000-0000-4000-8000-000000000000';
const supervisor = { kind: 'staff' as const, id: 'sup-jo', roles: ['supervisor' as const], teams: ['t'] };

describe("a caller's string as a table key", () => {
  it.each(PROTOTYPE_KEYS)('%s is no action type: no role may send it, and asking does not throw', (type) => {
    expect(rolesFor(caseId, type)).toEqual([]);
    expect(actingRole(supervisor, rolesFor(caseId, type))).toBeUndefined();
    // A real one still has its roles.
    expect(rolesFor(caseId, 'RECALLED')).toEqual(expect.arrayContaining(['caseworker', 'supervisor']));
  });

  it.each(PROTOTYPE_KEYS)('%s is no pathway in a case id', (prefix) => {
    expect(rolesFor(`${prefix}-00000000-0000-4000-8000-000000000000`, 'RECALLED')).toEqual([]);
  });

  it.each(PROTOTYPE_KEYS)('%s is no report scope, and allows no report', (scope) => {
    // The verifier keeps only a token's report scopes: this one is dropped.
    expect(isReportScope(scope)).toBe(false);
    expect(isReportScope('reports:custody')).toBe(true);
    const integration = { kind: 'integration' as const, id: 'x', scopes: [scope as 'reports:custody'] };
    expect(scopeAllows(integration, 'RECALLED')).toBe(false);
  });

  it.each(PROTOTYPE_KEYS)('%s reads as itself in plain English, never as a function', (code) => {
    for (const name of [eventName, stateName, closureName, codeName, pathwayName]) {
      expect(typeof name(code)).toBe('string');
    }
    expect(eventName(code)).not.toMatch(/function|native code/);
    expect(eventName(code).replace(/ /g, '')).toBe(code.replace(/_/g, ''));
  });

  it('own() finds only own entries', () => {
    const table = Object.freeze({ a: 1 });
    expect(own(table, 'a')).toBe(1);
    for (const key of PROTOTYPE_KEYS) expect(own(table, key)).toBeUndefined();
  });
});
