import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');

/** The modules a file imports for their values (type-only imports are erased from the bundle). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
          ? clause.namedBindings.elements.every((e) => e.isTypeOnly)
          : false);
      if (!typeOnly) found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

/** Every project file and package reached through value imports from `entry`. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of valueImports(file)) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const next = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
      if (!next) throw new Error(`${relative(ROOT, file)}: cannot resolve ${spec}`);
      visit(next);
    }
  };
  visit(entry);
  return { files, packages };
}

const rel = (files: Set<string>) => [...files].map((f) => relative(ROOT, f)).sort();

describe('the case logic shared by every case on a worker', () => {
  const logic = graph(join(__dirname, 'logic.ts'));

  it('never calls into a workflow: nothing in it imports the workflow API', () => {
    expect(logic.files.size).toBeGreaterThan(10);
    expect([...logic.packages]).not.toContain('@temporalio/workflow');
    expect([...logic.packages].sort()).toEqual(['luxon', 'xstate', 'zod']);
  });

  it('is loaded only through logic(): no workflow imports any of it for its values', () => {
    const perCase = graph(join(__dirname, 'index.ts'));
    const overlap = rel(perCase.files).filter((f) => rel(logic.files).includes(f));
    expect(overlap).toEqual([]);
    expect(rel(perCase.files)).toContain('workflows/sharedLogic.ts');
  });
});
