import { Command } from 'commander';
import { loadConfig } from '../config/config';
import { keysFor } from '../config/connect';
import { accessLogKeyOf } from '../security/keys';
import { StoreAccessLog, type Verdict } from '../store/accessLog';
import { openStore, storeConfigFrom, type Store } from '../store/store';

// The record store from the command line, with the service's own settings (DATA_DIR, STORE_URL,
// the key ring):
//   npm run store -- migrate   brings the schema up to date (the service does so on start-up too)
//   npm run store -- verify    checks the access log's chain: exit 0 intact, 1 broken (naming
//                              the first row that does not hold), 2 could not check; it prints
//                              the chain's tail, which `--tail <seq:hash>` checks later

async function withStore(work: (db: Store) => Promise<number>): Promise<void> {
  const config = loadConfig();
  const db = await openStore(storeConfigFrom(config));
  try {
    process.exitCode = await work(db);
  } finally {
    await db.destroy();
  }
}

export function describeVerdict(v: Verdict): string {
  if (v.intact)
    return (
      `access log intact: ${v.rows} row${v.rows === 1 ? '' : 's'}, one unbroken chain` +
      (v.tail
        ? `\ntail ${v.tail.seq}:${v.tail.hash} (keep it outside the store; pass it as --tail to find rows removed from the end)`
        : '')
    );
  if (v.problem === 'altered')
    return `access log broken: row ${v.seq} is not as written (changed, or put in)`;
  return v.from === v.to
    ? `access log broken: row ${v.from} is missing`
    : `access log broken: rows ${v.from} to ${v.to} are missing`;
}

const program = new Command('store')
  .description("The record store kept beside Temporal's")
  .showHelpAfterError();

program
  .command('migrate')
  .description('bring the schema up to date')
  .action(() =>
    withStore(async () => {
      console.log('record store up to date');
      return 0;
    }),
  );

program
  .command('verify')
  .description("check the access log's chain of keyed hashes from its first row")
  .option('--tail <seq:hash>', 'a tail printed by an earlier verify: rows removed after it are found too')
  .action((opts: { tail?: string }) =>
    withStore(async (db) => {
      const tail = opts.tail ? /^(\d+):([0-9a-f]{64})$/.exec(opts.tail) : undefined;
      if (opts.tail && !tail) throw new Error('--tail must be <seq>:<hash>, as verify prints it');
      const verdict = await new StoreAccessLog(db, accessLogKeyOf(keysFor(loadConfig()))).verify(
        tail ? { seq: Number(tail[1]), hash: tail[2]! } : undefined,
      );
      (verdict.intact ? console.log : console.error)(describeVerdict(verdict));
      return verdict.intact ? 0 : 1;
    }),
  );

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
