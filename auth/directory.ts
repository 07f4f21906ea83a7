import type { ReportScope, StaffRole } from './caller';

/**
 * The development identity provider's people and systems: all fictional. An external
 * provider replaces this directory entirely.
 */
export interface StaffMember {
  id: string;
  name: string;
  roles: StaffRole[];
  teams: string[];
}

export const DEV_STAFF: readonly StaffMember[] = [
  { id: 'cw-amira', name: 'Amira Khan (caseworker)', roles: ['caseworker'], teams: ['bucks-reconnect'] },
  { id: 'cw-ola', name: 'Ola Nowak (caseworker)', roles: ['caseworker'], teams: ['bucks-reconnect'] },
  { id: 'cw-ben', name: 'Ben Carter (caseworker)', roles: ['caseworker'], teams: ['bsol-reconnect'] },
  {
    id: 'sup-jo',
    name: 'Jo Reid (supervisor)',
    roles: ['supervisor'],
    teams: ['bucks-reconnect', 'bucks-front-door'],
  },
  { id: 'sup-kim', name: 'Kim Osei (supervisor)', roles: ['supervisor'], teams: ['bsol-reconnect'] },
  { id: 'admin-sam', name: 'Sam Price (administrator)', roles: ['admin'], teams: [] },
];

export interface Integration {
  clientId: string;
  name: string;
  scopes: ReportScope[];
}

export const DEV_INTEGRATIONS: readonly Integration[] = [
  { clientId: 'social-care', name: "Children's social care", scopes: ['reports:social-care'] },
  { clientId: 'prison-probation', name: 'Prisons and probation', scopes: ['reports:custody'] },
  { clientId: 'home-office', name: 'Home Office', scopes: ['reports:home-office'] },
];

/** The API's audience and the clients of the service itself. */
export const API_AUDIENCE = 'urn:reconnect-cases:api';
export const DASHBOARD_CLIENT_ID = 'dashboard';
export const CLI_CLIENT_ID = 'cases-cli';
