import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolPaths } from '../../tools/paths';

export interface CinIssue {
  /** The DfE rule's code, such as 8615 or 8670Q. */
  rule: string;
  /** ERROR must be fixed before the return is accepted; QUERY asks for a fix or a reason. */
  type: 'ERROR' | 'QUERY' | null;
  message: string | null;
  child?: string | null;
  table?: string | null;
  fields?: string | null;
}

export interface CinValidation {
  ruleset: string;
  /** How many rules the ruleset holds, and of which type. */
  rules: number;
  errorRules: number;
  queryRules: number;
  /** Issues found in a child's data. */
  issues: CinIssue[];
  /** Issues with the return as a whole (its header, or counts across children). */
  returnLevel: CinIssue[];
  /** Rules that failed to run on this file, with the reason. */
  crashed: string[];
}

const run = promisify(execFile);

/**
 * Runs the DfE's CIN census rules (csc-validator-be-cin, installed by `setup.sh --test`) on a census
 * XML file.
 */
export async function validateCinFile(file: string, ruleset = 'cin2025_26'): Promise<CinValidation> {
  const python = toolPaths().cinValidator;
  if (!python || !existsSync(python)) {
    throw new Error('the CIN census validator is not installed: run "bash scripts/setup.sh --test"');
  }
  const { stdout } = await run(python, [join(__dirname, 'validate.py'), file, ruleset], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as CinValidation;
}
