import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isLoopbackHost, isLoopbackUrl } from '../validation/urls';
import type { MeetingSchedule } from '../calendar/calendar';

/** Cases a worker keeps cached: at about 200 KiB each, 2,000 take about 400 MiB. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 2000;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting comes from the environment, checked once at start-up. */
export const ConfigSchema = z
  .object({
    DATA_DIR: z.string().min(1).default('data'),
    /** Empty: run the embedded Temporal dev server. Set: connect to that server (host:port). */
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'must be host:port')
      .optional(),
    /**
     * The record store (store/): a PostgreSQL database, `postgres://user:password@host:port/db`.
     * Unset: PostgreSQL embedded in the process, in `<DATA_DIR>/store`.
     */
    STORE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
      .optional(),
    /**
     * The record store's owner (a role that may change its schema), used only to run the
     * migrations at start-up, after which the service uses STORE_URL's role alone, which may
     * read and write but not change the schema or the access log's rows. Unset: STORE_URL runs
     * the migrations too.
     */
    STORE_MIGRATION_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** The local authority's three-digit code in the Children in Need census (825: Buckinghamshire). */
    LA_CODE: z
      .string()
      .regex(/^\d{3}$/, 'must be three digits')
      .default('825'),
    TEMPORAL_TLS: bool.default(false),
    /** mTLS to Temporal: PEM files for this client's certificate and key, and the server's CA. */
    TEMPORAL_TLS_CERT_FILE: z.string().optional(),
    TEMPORAL_TLS_KEY_FILE: z.string().optional(),
    TEMPORAL_TLS_CA_FILE: z.string().optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TASK_QUEUE: z.string().min(1).default('cases'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** Where people reach the API and the workspace (for sign-in redirects); default: http://API_HOST:API_PORT. */
    PUBLIC_URL: z.url().optional(),
    /**
     * Further `Host` header values the API answers to (`host[:port]`, comma-separated), for an
     * ingress that sends its own. PUBLIC_URL's host and the loopback names are always allowed.
     */
    ALLOWED_HOSTS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().regex(/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/, 'must be host or host:port'),
        ),
      ),
    /** The identity provider. Unset: the embedded development provider runs on loopback (IDP_PORT). */
    OIDC_ISSUER: z.url().optional(),
    OIDC_AUDIENCE: z.string().min(1).default('urn:reconnect-cases:api'),
    OIDC_CLIENT_ID: z.string().min(1).default('dashboard'),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The command line's public client (device flow). */
    OIDC_CLI_CLIENT_ID: z.string().min(1).default('cases-cli'),
    /** Which token claims carry the staff id, roles and teams. */
    OIDC_ID_CLAIM: z.string().min(1).default('sub'),
    OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
    OIDC_TEAMS_CLAIM: z.string().min(1).default('teams'),
    OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    IDP_PORT: port.default(3001),
    /** Access-token lifetime in the development provider. */
    IDP_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(3600),
    RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** Workspace form posts a minute, per signed-in person. */
    RATE_LIMIT_FORMS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Behind an HTTPS ingress: take the client's address from X-Forwarded-For (for rate limits). */
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
    /** `id:base64key,…` (first is current). Unset in the embedded default: keys live in the data folder. */
    ENCRYPTION_KEYS: z.string().optional(),
    LINK_KEY: z.string().optional(),
    /** Where the generated key ring lives when ENCRYPTION_KEYS is unset; default: keys.json in the data folder. */
    KEYS_FILE: z.string().min(1).optional(),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).default(DEFAULT_MAX_CACHED_WORKFLOWS),
    DEFAULT_TEAM: z.string().min(1).default('bucks-reconnect'),
    /** The weekly team meeting for new cases, as `<weekday> HH:MM` in UK time (a bank holiday moves it). */
    TEAM_MEETING: z
      .string()
      .default('Monday 10:00')
      .transform((v, ctx) => {
        const m =
          /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday) ([01]\d|2[0-3]):([0-5]\d)$/i.exec(
            v.trim(),
          );
        if (!m) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a weekday and a time, for example "Monday 10:00"',
          });
          return z.NEVER;
        }
        const weekday = (WEEKDAYS.indexOf(m[1]!.toLowerCase()) + 1) as MeetingSchedule['weekday'];
        return { weekday, time: `${m[2]}:${m[3]}` } satisfies MeetingSchedule;
      }),
    /** The Temporal Web UI origin allowed to call the codec endpoints. */
    CODEC_CORS_ORIGIN: z.url().optional(),
    /** `outbox` writes messages to the data folder; `smtp` also e-mails them. */
    NOTIFIER: z.enum(['outbox', 'smtp']).default('outbox'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start smtp:// or smtps://')
      .optional(),
    SMTP_FROM: z.string().min(3).default('reconnect-cases@localhost'),
    STAFF_EMAIL_DOMAIN: z.string().min(1).default('localhost'),
    /** Start the worker and/or the API in this process. */
    RUN_WORKER: bool.default(true),
    RUN_API: bool.default(true),
    /** Create a few fictional cases on first start (also `npm start -- --demo`). */
    DEMO_CASES: bool.default(false),
  })
  .refine((c) => !c.STORE_MIGRATION_URL || !!c.STORE_URL, {
    message: 'STORE_MIGRATION_URL migrates the database at STORE_URL: set STORE_URL too',
    path: ['STORE_MIGRATION_URL'],
  })
  .refine((c) => c.NOTIFIER !== 'smtp' || !!c.SMTP_URL, {
    message: 'NOTIFIER=smtp needs SMTP_URL',
    path: ['SMTP_URL'],
  })
  .refine((c) => !c.ENCRYPTION_KEYS === !c.LINK_KEY, {
    message: 'ENCRYPTION_KEYS and LINK_KEY are set together',
    path: ['LINK_KEY'],
  })
  .refine((c) => !(c.KEYS_FILE && c.ENCRYPTION_KEYS), {
    message: 'keys come from ENCRYPTION_KEYS or from KEYS_FILE, not both',
    path: ['KEYS_FILE'],
  })
  // The development provider signs anyone in as anyone, without a password.
  .refine((c) => !c.RUN_API || !!c.OIDC_ISSUER || isLoopbackHost(c.API_HOST), {
    message:
      "the development identity provider (used while OIDC_ISSUER is unset) signs anyone in without a password, so the API listens on loopback only beside it: set API_HOST to 127.0.0.1, or set OIDC_ISSUER to your organisation's identity provider",
    path: ['API_HOST'],
  })
  .refine((c) => !c.OIDC_ISSUER || !!c.OIDC_CLIENT_SECRET, {
    message: 'an external OIDC_ISSUER needs OIDC_CLIENT_SECRET for the workspace',
    path: ['OIDC_CLIENT_SECRET'],
  })
  .refine((c) => !c.OIDC_ISSUER || c.OIDC_ISSUER.startsWith('https://') || isLoopbackUrl(c.OIDC_ISSUER), {
    message: 'must be https (plain http only on loopback)',
    path: ['OIDC_ISSUER'],
  })
  .refine((c) => !c.TEMPORAL_TLS_CERT_FILE === !c.TEMPORAL_TLS_KEY_FILE, {
    message: 'TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE are set together',
    path: ['TEMPORAL_TLS_KEY_FILE'],
  });

export type Config = z.infer<typeof ConfigSchema> & {
  dataDir: string;
  publicUrl: string;
  /** The generated key ring's file (unused when ENCRYPTION_KEYS is set). */
  keysFile: string;
  /** `Host` header values the API answers to. */
  allowedHosts: string[];
};

export class ConfigError extends Error {}

/** Reads the environment; a bad value names its variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid configuration:\n' +
        parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://${c.API_HOST}:${c.API_PORT}`).replace(/\/$/, '');
  const dataDir = resolve(c.DATA_DIR);
  const bracketed = c.API_HOST.includes(':') && !c.API_HOST.startsWith('[') ? `[${c.API_HOST}]` : c.API_HOST;
  // Listening on every address names none of them: PUBLIC_URL and ALLOWED_HOSTS say which.
  const ownAddress = ['0.0.0.0', '[::]'].includes(bracketed) ? [] : [`${bracketed}:${c.API_PORT}`];
  const allowedHosts = [
    ...new Set(
      [
        new URL(publicUrl).host,
        ...ownAddress,
        ...['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${c.API_PORT}`),
        ...c.ALLOWED_HOSTS,
      ].map((h) => h.toLowerCase()),
    ),
  ];
  return {
    ...c,
    dataDir,
    publicUrl,
    keysFile: resolve(c.KEYS_FILE ?? join(dataDir, 'keys.json')),
    allowedHosts,
  };
}
