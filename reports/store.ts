import type { CaseFacts } from './facts';
import type { ReportOptions, ReportTallies } from './report';

/**
 * Where report facts are kept (store/facts.ts): one current row per case, newest sequence wins.
 * Facts hold no personal data, so they are kept after a case's record is purged: years of closed
 * cases stay countable.
 */
export interface FactStore {
  put(facts: CaseFacts): Promise<void>;
  /** Every case's facts, oldest referral first. */
  all(): Promise<CaseFacts[]>;
  /** A report's tallies, counted where the facts are. */
  tallies(o: ReportOptions): Promise<ReportTallies>;
  /** When open cases were last brought up to date. */
  noteRefresh(at: string): Promise<void>;
  lastRefresh(): Promise<string | undefined>;
}
