import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The project's root folder. */
export const ROOT = resolve(__dirname, '..');

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

export interface ImportGraph {
  /** Absolute paths of the project's files. */
  files: Set<string>;
  packages: Set<string>;
}

/** Every project file and package reached through value imports from `entry` (a path from the root). */
export function importGraph(entry: string): ImportGraph {
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
  visit(resolve(ROOT, entry));
  return { files, packages };
}

/** Paths from the root, sorted. */
export const relativePaths = (files: Iterable<string>): string[] =>
  [...files].map((f) => relative(ROOT, f)).sort();

/** The files of the case logic every case on a worker shares (`workflows/logic.ts` and its imports). */
export const caseLogicFiles = (): string[] => relativePaths(importGraph('workflows/logic.ts').files);
