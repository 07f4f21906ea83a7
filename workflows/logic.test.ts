import { execFileSync } from 'node:child_process';
import { importGraph, relativePaths, ROOT } from '../tools/importGraph';

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
    const perCase = relativePaths(importGraph('workflows/index.ts').files);
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
});
