import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/config';
import { connectClient, keysFor } from '../config/connect';
import { PATHWAYS } from '../machines/common/case';
import { CaseClient, CaseInputError, CaseRefusedError } from './cases';

// A command line for staff and scripts: the same CaseClient as the API, talking to Temporal directly.

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
    throw new CaseInputError(`${what} is not valid JSON (give JSON, @file or - for standard input)`);
  }
}

async function cases(): Promise<CaseClient> {
  const config = loadConfig();
  const keys = keysFor(config);
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
  const client = await connectClient(config, keys, address);
  return new CaseClient(client, { taskQueue: config.TASK_QUEUE, keys, team: config.DEFAULT_TEAM });
}

const out = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const who = (o: { as: string; role: string }) => ({ id: o.as, role: o.role });

const program = new Command('cases')
  .description('Work with reconnect-cases from the command line. Output is JSON.')
  .addOption(new Option('--as <id>', 'who is acting').env('CASES_ACTOR').default('cli'))
  .addOption(
    new Option('--role <role>', 'their role')
      .choices(['caseworker', 'supervisor'])
      .env('CASES_ROLE')
      .default('caseworker'),
  );

program
  .command('refer')
  .description('start a case for a referral')
  .addArgument(program.createArgument('<pathway>', 'the pathway').choices(PATHWAYS))
  .argument('<referral>', 'referral JSON, @file, or - for standard input')
  .option('--team <team>', 'the team that owns the case')
  .action(async (pathway: string, referral: string, o: { team?: string }) => {
    out(await (await cases()).refer(pathway, json(referral, 'the referral'), who(program.opts()), o.team));
  });

program
  .command('act')
  .description("a caseworker's or supervisor's action")
  .argument('<caseId>')
  .argument('<type>', 'the action, for example ACCEPT_FOR_ASSESSMENT')
  .argument('[fields]', 'its fields as JSON, @file or -')
  .option('--reason <why>', 'why, for the timeline')
  .action(async (caseId: string, type: string, fields: string | undefined, o: { reason?: string }) => {
    const command = {
      ...json(fields, 'the fields'),
      type,
      actor: who(program.opts()),
      ...(o.reason ? { reason: o.reason } : {}),
    };
    out(await (await cases()).act(caseId, command));
  });

program
  .command('report')
  .description("another system's report (release date, recall, care proceedings …)")
  .argument('<caseId>')
  .argument('<type>')
  .argument('[fields]', 'its fields as JSON, @file or -')
  .option('--event-id <id>', 'the sender’s id for this report, so a repeat changes nothing')
  .action(async (caseId: string, type: string, fields: string | undefined, o: { eventId?: string }) => {
    const actor = { id: program.opts<{ as: string }>().as, role: 'system' };
    out(
      await (
        await cases()
      ).report(caseId, {
        ...json(fields, 'the fields'),
        type,
        actor,
        ...(o.eventId ? { eventId: o.eventId } : {}),
      }),
    );
  });

for (const [name, description] of [
  ['view', 'state, allowed actions and deadlines'],
  ['timeline', 'who did what, when and why'],
] as const) {
  program
    .command(name)
    .description(description)
    .argument('<caseId>')
    .action(async (caseId: string) => out(await (await cases())[name](caseId)));
}

program
  .command('caseload')
  .description('open cases from search attributes')
  .addOption(new Option('--pathway <pathway>').choices(PATHWAYS))
  .option('--state <state>')
  .option('--team <team>')
  .option('--worker <id>')
  .action(
    async (o: { pathway?: (typeof PATHWAYS)[number]; state?: string; team?: string; worker?: string }) => {
      out(
        await (
          await cases()
        ).caseload({
          open: true,
          ...(o.pathway ? { pathway: o.pathway } : {}),
          ...(o.state ? { state: o.state } : {}),
          ...(o.team ? { team: o.team } : {}),
          ...(o.worker ? { namedWorker: o.worker } : {}),
        }),
      );
    },
  );

program
  .command('holidays')
  .description('send a newer bank-holidays feed (public feed format) to every open case')
  .argument('<feed>', 'the feed as JSON, @file or -')
  .action(async (feed: string) => {
    const actor = { id: program.opts<{ as: string }>().as, role: 'system' };
    out(await (await cases()).updateReferenceData(json(feed, 'the feed'), actor));
  });

program
  .command('agenda')
  .description("the team meeting's agenda")
  .option('--team <team>')
  .action(async (o: { team?: string }) => out(await (await cases()).agenda(o.team)));

program.parseAsync().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof CaseInputError || err instanceof CaseRefusedError || err instanceof ConfigError) {
      console.error(err.message);
      for (const i of (err as CaseInputError).issues ?? []) console.error(`  ${i.path}: ${i.message}`);
      process.exit(2);
    }
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
