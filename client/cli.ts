import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { isLoopbackUrl } from '../validation/urls';

// A command line for staff and scripts: the HTTP API, signed in like any other caller. It needs
// no encryption keys and no access to Temporal.

const TokenFile = z.object({ api: z.string(), accessToken: z.string(), expiresAt: z.number() });
const tokenPath = () =>
  process.env.CASES_TOKEN_FILE ??
  join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'reconnect-cases', 'token.json');

class CliError extends Error {}

function json(text: string | undefined, what: string): Record<string, unknown> {
  if (!text) return {};
  const source =
    text === '-'
      ? readFileSync(0, 'utf8')
      : text.startsWith('@')
        ? readFileSync(text.slice(1), 'utf8')
        : text;
  try {
    return JSON.parse(source) as Record<string, unknown>;
  } catch {
    throw new CliError(`${what} is not valid JSON (give JSON, @file or - for standard input)`);
  }
}

const program = new Command('cases')
  .description('Work with reconnect-cases from the command line, through its API. Output is JSON.')
  .addOption(new Option('--api <url>', 'the service').env('CASES_API').default('http://127.0.0.1:3000'))
  .addOption(new Option('--token <token>', 'an access token (otherwise: cases login)').env('CASES_TOKEN'));

const opts = () => program.opts<{ api: string; token?: string }>();

function token(): string {
  const { api, token } = opts();
  if (token) return token;
  try {
    const saved = TokenFile.parse(JSON.parse(readFileSync(tokenPath(), 'utf8')));
    if (saved.api === api && saved.expiresAt > Date.now() / 1000 + 30) return saved.accessToken;
  } catch {
    // no saved sign-in
  }
  throw new CliError('not signed in: run `cases login`, or set CASES_TOKEN');
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, opts().api), {
    method,
    headers: {
      authorization: `Bearer ${token()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await res.json().catch(() => ({}))) as {
    detail?: string;
    issues?: { path: string; message: string }[];
  };
  if (!res.ok) {
    const issues = (data.issues ?? []).map((i) => `  ${i.path}: ${i.message}`);
    throw new CliError([`${res.status}: ${data.detail ?? res.statusText}`, ...issues].join('\n'));
  }
  return data;
}

const out = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const query = (q: Record<string, string | undefined>) => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
  return params.size ? `?${params.toString()}` : '';
};

program
  .command('login')
  .description('sign in with the device flow: open the address shown, confirm the code and sign in')
  .action(async () => {
    const oidc = await import('openid-client');
    const cfg = z
      .object({ issuer: z.string(), audience: z.string(), cliClientId: z.string() })
      .parse(await (await fetch(new URL('/auth/config', opts().api))).json());
    const loopback = isLoopbackUrl(cfg.issuer);
    const config = await oidc.discovery(new URL(cfg.issuer), cfg.cliClientId, undefined, oidc.None(), {
      ...(loopback ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    const device = await oidc.initiateDeviceAuthorization(config, {
      scope: 'openid cases',
      resource: cfg.audience,
    });
    console.error(
      `Open ${device.verification_uri_complete ?? device.verification_uri} and confirm the code ${device.user_code}.`,
    );
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device, { resource: cfg.audience });
    const file = tokenPath();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const saved = {
      api: opts().api,
      accessToken: tokens.access_token,
      expiresAt: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 3600),
    };
    writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
    chmodSync(file, 0o600);
    out(await call('GET', '/me'));
  });

program
  .command('whoami')
  .description('who the service knows you as')
  .action(async () => out(await call('GET', '/me')));

program
  .command('refer')
  .description('start a case for a referral')
  .argument('<pathway>', 'parentInfant, frontDoor, reconnect or enhancedReconnect')
  .argument('<referral>', 'referral JSON, @file, or - for standard input')
  .option('--team <team>', 'the team that owns the case (one of yours)')
  .action(async (pathway: string, referral: string, o: { team?: string }) => {
    out(
      await call('POST', '/cases', {
        pathway,
        referral: json(referral, 'the referral'),
        ...(o.team ? { team: o.team } : {}),
      }),
    );
  });

program
  .command('act')
  .description("a caseworker's or supervisor's action")
  .argument('<caseId>')
  .argument('<type>', 'the action, for example ACCEPT_FOR_ASSESSMENT')
  .argument('[fields]', 'its fields as JSON, @file or -')
  .option('--reason <why>', 'why, for the timeline')
  .option('--event-id <id>', 'your id for this action, so a retry changes nothing')
  .action(
    async (
      caseId: string,
      type: string,
      fields: string | undefined,
      o: { reason?: string; eventId?: string },
    ) => {
      out(
        await call('POST', `/cases/${encodeURIComponent(caseId)}/actions`, {
          ...json(fields, 'the fields'),
          type,
          ...(o.reason ? { reason: o.reason } : {}),
          ...(o.eventId ? { eventId: o.eventId } : {}),
        }),
      );
    },
  );

program
  .command('report')
  .description("another system's report (with an integration's token)")
  .argument('<caseId>')
  .argument('<type>')
  .argument('[fields]', 'its fields as JSON, @file or -')
  .option('--event-id <id>', 'the sender’s id for this report, so a repeat changes nothing')
  .action(async (caseId: string, type: string, fields: string | undefined, o: { eventId?: string }) => {
    out(
      await call('POST', `/cases/${encodeURIComponent(caseId)}/reports`, {
        ...json(fields, 'the fields'),
        type,
        ...(o.eventId ? { eventId: o.eventId } : {}),
      }),
    );
  });

program
  .command('view')
  .description('state, allowed actions and deadlines')
  .argument('<caseId>')
  .action(async (caseId: string) => out(await call('GET', `/cases/${encodeURIComponent(caseId)}`)));

program
  .command('timeline')
  .description('who did what, when and why (free text only with --reason)')
  .argument('<caseId>')
  .option('--reason <why>', 'why you need the free text (logged)')
  .action(async (caseId: string, o: { reason?: string }) =>
    out(await call('GET', `/cases/${encodeURIComponent(caseId)}/timeline${query({ reason: o.reason })}`)),
  );

program
  .command('details')
  .description('the full record with personal data (logged)')
  .argument('<caseId>')
  .requiredOption('--reason <why>', 'why you need to read it')
  .action(async (caseId: string, o: { reason: string }) =>
    out(await call('GET', `/cases/${encodeURIComponent(caseId)}/details${query({ reason: o.reason })}`)),
  );

program
  .command('caseload')
  .description('open cases of your teams')
  .option('--pathway <pathway>')
  .option('--state <state>')
  .option('--team <team>')
  .option('--worker <id>')
  .action(async (o: { pathway?: string; state?: string; team?: string; worker?: string }) =>
    out(await call('GET', `/cases${query({ open: 'true', ...o })}`)),
  );

program
  .command('agenda')
  .description("the team meeting's agenda")
  .option('--team <team>')
  .action(async (o: { team?: string }) => out(await call('GET', `/agenda${query(o)}`)));

const consultation = program
  .command('consultation')
  .description('duty-line calls and consultation requests: advice before (or instead of) a referral');

consultation
  .command('record')
  .description('record a call or request')
  .argument('<consultation>', 'the consultation as JSON, @file or -')
  .option('--team <team>', 'the team that took it (one of yours)')
  .action(async (text: string, o: { team?: string }) =>
    out(
      await call('POST', '/consultations', {
        consultation: json(text, 'the consultation'),
        ...(o.team ? { team: o.team } : {}),
      }),
    ),
  );

consultation
  .command('list')
  .description("your teams' consultations")
  .option('--open', 'only those still open')
  .action(async (o: { open?: boolean }) =>
    out(await call('GET', `/consultations${query({ open: o.open ? 'true' : undefined })}`)),
  );

consultation
  .command('view')
  .description('a consultation; what was said only with --reason (logged)')
  .argument('<consultationId>')
  .option('--reason <why>', 'why you need what was said')
  .action(async (id: string, o: { reason?: string }) =>
    out(await call('GET', `/consultations/${encodeURIComponent(id)}${query({ reason: o.reason })}`)),
  );

consultation
  .command('refer')
  .description('turn it into a referral (a retry returns the same case)')
  .argument('<consultationId>')
  .argument('<pathway>')
  .argument('<referral>', 'referral JSON, @file or -')
  .action(async (id: string, pathway: string, referral: string) =>
    out(
      await call('POST', `/consultations/${encodeURIComponent(id)}/referral`, {
        pathway,
        referral: json(referral, 'the referral'),
      }),
    ),
  );

consultation
  .command('close')
  .description('close it without a referral')
  .argument('<consultationId>')
  .argument('<outcome>', 'adviceGiven, signposted or noFurtherAction')
  .option('--note <text>', 'what was advised')
  .action(async (id: string, outcome: string, o: { note?: string }) =>
    out(
      await call('POST', `/consultations/${encodeURIComponent(id)}/close`, {
        outcome,
        ...(o.note ? { note: o.note } : {}),
      }),
    ),
  );

program
  .command('holidays')
  .description('send a newer bank-holidays feed (public feed format) to every open case (administrators)')
  .argument('<feed>', 'the feed as JSON, @file or -')
  .action(async (feed: string) =>
    out(await call('POST', '/reference-data/bank-holidays', json(feed, 'the feed'))),
  );

program.parseAsync().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof CliError ? 2 : 1);
  },
);
