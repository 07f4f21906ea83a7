import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentInfantMachine } from '../machines/parentInfant/machine';
import { importGraph, relativePaths, ROOT } from '../tools/importGraph';
import { isPlainData } from '../validation/frozen';
import { z } from '../validation/zod';
import * as logicModule from './logic';
import { loadOnce } from './sharedModules';

/** Where in `value` plain data (or a function in it) is not frozen; schemas and machines are not data. */
function unfrozen(value: unknown, path: string, seen: WeakSet<object>): string[] {
  if (!(typeof value === 'function' || isPlainData(value)) || seen.has(value)) return [];
  seen.add(value);
  return [
    ...(Object.isFrozen(value) ? [] : [path]),
    ...Reflect.ownKeys(value).flatMap((key) => {
      const property = Object.getOwnPropertyDescriptor(value, key);
      return property && 'value' in property ? unfrozen(property.value, `${path}.${String(key)}`, seen) : [];
    }),
  ];
}

/** The modules under `folder`, tests aside. */
const modulesIn = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(folder, f));

/** The purity rule's selectors ESLint applies to each file (read in a child process: its config is ESM). */
function purityLintOf(files: string[]): Record<string, string[]> {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint();
      const out = {};
      for (const file of JSON.parse(process.argv[1])) {
        const rule = (await eslint.calculateConfigForFile(file)).rules['no-restricted-syntax'] ?? [];
        out[file] = rule.slice(1).map((r) => r.selector);
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: ROOT, encoding: 'utf8' }),
  ) as Record<string, string[]>;
}

describe('the case logic shared by every case on a worker', () => {
  const logic = importGraph('workflows/logic.ts');
  const logicFiles = relativePaths(logic.files);

  it('never calls into a workflow: nothing in it imports the workflow API', () => {
    expect(logic.files.size).toBeGreaterThan(10);
    expect([...logic.packages]).not.toContain('@temporalio/workflow');
    expect([...logic.packages].sort()).toEqual(['luxon', 'xstate', 'zod']);
  });

  it('is loaded only through logic(): no workflow imports any of it for its values', () => {
    // What the preloaded module imports is loaded once per worker too (and frozen by the SDK).
    const preloaded = relativePaths(importGraph('workflows/sharedModules.ts').files);
    const perCase = relativePaths(importGraph('workflows/index.ts').files).filter(
      (f) => !preloaded.includes(f),
    );
    expect(perCase.filter((f) => logicFiles.includes(f))).toEqual([]);
    expect(perCase).toContain('workflows/sharedLogic.ts');
  });

  it('is under the purity lint in every file: no clock, no local time zone, no randomness', () => {
    const forbidden = [
      "[callee.object.name='Date'][callee.property.name='now']",
      "NewExpression[callee.name='Date']",
      "CallExpression[callee.name='Date']",
      "[callee.object.name='DateTime'][callee.property.name=/^(now|local)$/]",
      "[callee.object.name='Math'][callee.property.name='random']",
    ];
    const lint = purityLintOf(logicFiles);
    const uncovered = logicFiles.filter(
      (f) => !forbidden.every((call) => lint[f]?.some((s) => s.includes(call))),
    );
    expect(uncovered).toEqual([]);
    expect(logicFiles).toEqual(expect.arrayContaining(['workflows/caseRecord.ts', 'reports/facts.ts']));
  });

  it('exports its data deep-frozen, in every module it imports and in machines/ and calendar/', () => {
    const modules = new Set([...logicFiles, ...modulesIn('machines'), ...modulesIn('calendar')]);
    modules.delete('validation/zod.ts'); // zod itself, re-exported
    const notFrozen = [...modules].flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every module, by its path
      const exports = require(join(ROOT, file)) as Record<string, unknown>;
      return Object.entries(exports).flatMap(([name, value]) =>
        isPlainData(value) ? unfrozen(value, `${file}: ${name}`, new WeakSet()) : [],
      );
    });
    expect(notFrozen).toEqual([]);
    expect(modules.size).toBeGreaterThan(logicFiles.length);
  });

  it('is shared frozen, classes and all; a schema or a machine is never shared', () => {
    const shared = loadOnce('logic', () => logicModule);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen(shared.CaseRecord.prototype)).toBe(true);
    expect(Object.isFrozen(shared.Refusal.prototype)).toBe(true);
    expect(() => {
      (shared.TIMER as { id: string }).id = 'changed';
    }).toThrow(TypeError);
    expect(shared.TIMER.id).toBe('timer');
    expect(() => loadOnce('withSchema', () => ({ Referral: z.object({}) }))).toThrow(
      /withSchema.Referral cannot be shared/,
    );
    expect(() => loadOnce('withMachine', () => ({ pathway: { machine: parentInfantMachine } }))).toThrow(
      /withMachine.pathway.machine cannot be shared/,
    );
  });
});
