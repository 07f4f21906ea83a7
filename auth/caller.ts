import { z } from 'zod';
import { StaffId } from '../machines/common/envelope';

/**
 * Who is calling, as the service has verified it from a token. Nothing here comes from a
 * header or a body field.
 */
export const StaffRole = z.enum(['caseworker', 'supervisor', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Staff and client ids end up in e-mail addresses and search attributes: a safe alphabet only. */
export const PrincipalId = StaffId;
export const TeamId = StaffId;

/** Integration scopes, each naming the report types that system may send. */
export const REPORT_SCOPES = {
  'reports:social-care': [
    'CARE_PROCEEDINGS_STARTED',
    'SOCIAL_CARE_STATUS_CHANGED',
    'CARE_PROCEEDINGS_ISSUED',
  ],
  'reports:custody': ['RELEASED', 'RELEASE_DATE_CHANGED', 'RECALLED', 'REMOVED_FROM_UK'],
  'reports:home-office': ['REMOVED_FROM_UK'],
} as const;
export type ReportScope = keyof typeof REPORT_SCOPES;
/** Is this one of the report scopes (never a name the object prototype lends, like `constructor`)? */
export const isReportScope = (scope: string): scope is ReportScope => Object.hasOwn(REPORT_SCOPES, scope);
export const REPORT_TYPES = [...new Set(Object.values(REPORT_SCOPES).flat())] as [
  (typeof REPORT_SCOPES)[ReportScope][number],
  ...(typeof REPORT_SCOPES)[ReportScope][number][],
];
export type ReportType = (typeof REPORT_TYPES)[number];

export type Caller =
  | { kind: 'staff'; id: string; roles: StaffRole[]; teams: string[] }
  | { kind: 'integration'; id: string; scopes: ReportScope[] };

export const isStaff = (c: Caller): c is Extract<Caller, { kind: 'staff' }> => c.kind === 'staff';

/** May this integration send this report type? */
export function scopeAllows(caller: Caller, type: string): boolean {
  return (
    caller.kind === 'integration' &&
    caller.scopes.some((s) => isReportScope(s) && (REPORT_SCOPES[s] as readonly string[]).includes(type))
  );
}

/** Admins see every team; everyone else sees their own teams. */
export const seesAllTeams = (c: Caller) => c.kind === 'staff' && c.roles.includes('admin');
export const seesTeam = (c: Caller, team: string) =>
  c.kind === 'staff' && (seesAllTeams(c) || c.teams.includes(team));
