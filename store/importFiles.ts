import { existsSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { OutboundMessage } from '../activities/notifier';
import type { CaseFacts } from '../reports/facts';
import { decrypt } from '../security/codec';
import type { KeyRing } from '../security/keys';
import type { AccessEntry } from './accessLog';
import { StoreFactStore } from './facts';
import { StoreOutbox } from './outbox';
import type { Records } from './records';
import type { StoreTables } from './schema';
import { seal } from './sealed';

/** Every process starting on one data folder takes this lock to move files in, so one does it. */
const IMPORT_LOCK = 0x696d706f7274; // "import"

type Trx = Transaction<StoreTables>;

/** One kind of file an earlier version kept in the data folder, and how it moves into the store. */
interface FileSource {
  /** Its path in the data folder (a file, or a folder of files), also its import marker. */
  name: string;
  move(trx: Trx, path: string): Promise<number>;
}

const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const jsonFiles = async (dir: string, suffix = '.json') =>
  Promise.all(
    (await readdir(dir))
      .filter((n) => n.endsWith(suffix))
      .sort()
      .map(async (n) => ({
        name: n,
        doc: JSON.parse(await readFile(join(dir, n), 'utf8')) as Record<string, unknown>,
      })),
  );

/** An archive entry whose record an earlier version's purge had already deleted. */
async function movePurged(
  trx: Trx,
  e: { caseId: string; pathway: string; closedAt: string; retainUntil: string; keyId: string },
): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('archive_record')
    .values({
      case_id: e.caseId,
      pathway: e.pathway,
      closed_at: new Date(e.closedAt),
      retain_until: new Date(e.retainUntil),
      key_id: e.keyId,
      record: null,
      purged_at: now,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  const logged = await trx
    .selectFrom('purge_log')
    .select('id')
    .where('case_id', '=', e.caseId)
    .executeTakeFirst();
  if (!logged)
    await trx
      .insertInto('purge_log')
      .values({
        at: now,
        scheduled_at: now,
        case_id: e.caseId,
        pathway: e.pathway,
        retain_until: new Date(e.retainUntil),
      })
      .execute();
}

function sources(r: Records, keys: KeyRing): FileSource[] {
  return [
    {
      name: 'access.log',
      async move(trx, path) {
        const entries = (await lines(path)).map((l) => ({
          ...(l as unknown as AccessEntry),
          caseId: typeof l['caseId'] === 'string' ? l['caseId'] : '(none)',
          at: new Date(l['at'] as string),
        }));
        await r.accessLog.appendIn(trx, entries);
        return entries.length;
      },
    },
    {
      // Reads of archived records, logged beside them before the access log held them.
      name: 'archive/access.log',
      async move(trx, path) {
        const entries = (await lines(path)).map((l) => {
          const who = l['who'] as { id: string; role: string };
          return {
            who: { id: who.id, roles: [who.role] },
            caseId: l['caseId'] as string,
            what: 'archive' as const,
            why: l['why'] as string,
            at: new Date(l['at'] as string),
          };
        });
        await r.accessLog.appendIn(trx, entries);
        return entries.length;
      },
    },
    {
      name: 'archive/purge.log',
      async move(trx, path) {
        const rows = await lines(path);
        for (const l of rows)
          await trx
            .insertInto('purge_log')
            .values({
              at: new Date(l['at'] as string),
              scheduled_at: new Date(l['scheduledAt'] as string),
              case_id: l['caseId'] as string,
              pathway: l['pathway'] as string,
              retain_until: new Date(l['retainUntil'] as string),
            })
            .execute();
        return rows.length;
      },
    },
    {
      name: 'archive',
      async move(trx, dir) {
        const entries = await jsonFiles(dir, '.entry.json');
        for (const { name, doc } of entries) {
          const e = doc as {
            caseId: string;
            pathway: string;
            closedAt: string;
            retainUntil: string;
            keyId: string;
          };
          const key = keys.keys.get(e.keyId);
          if (!key)
            throw new Error(`archived record ${name} was sealed with key ${e.keyId}, not in the key ring`);
          const sealedFile = join(dir, name.replace(/\.entry\.json$/, '.record.enc'));
          if (!existsSync(sealedFile)) {
            // A purge the earlier version began and did not finish: the record went first, then
            // its purge-log line, then the entry. It moves in as purged, its purge logged once.
            await movePurged(trx, e);
            continue;
          }
          const record = JSON.parse(
            Buffer.from(decrypt(await readFile(sealedFile), key)).toString('utf8'),
          ) as unknown;
          const { keyId, sealed } = seal(keys, record, `archive_record\u0000${e.caseId}`);
          await trx
            .insertInto('archive_record')
            .values({
              case_id: e.caseId,
              pathway: e.pathway,
              closed_at: new Date(e.closedAt),
              retain_until: new Date(e.retainUntil),
              key_id: keyId,
              record: sealed,
              purged_at: null,
            })
            .onConflict((oc) => oc.column('case_id').doNothing())
            .execute();
        }
        return entries.length;
      },
    },
    {
      name: 'reports/facts',
      async move(trx, dir) {
        const facts = new StoreFactStore(trx);
        const docs = await jsonFiles(dir);
        for (const { doc } of docs) await facts.put(doc as unknown as CaseFacts);
        const refreshed = join(dir, 'refreshed-at.txt');
        if (existsSync(refreshed)) await facts.noteRefresh((await readFile(refreshed, 'utf8')).trim());
        return docs.length;
      },
    },
    {
      name: 'outbox',
      async move(trx, dir) {
        const outbox = new StoreOutbox(trx, keys);
        const docs = await jsonFiles(dir);
        for (const { doc } of docs) await outbox.send(doc as unknown as OutboundMessage);
        return docs.length;
      },
    },
  ];
}

/**
 * Moves what an earlier version kept as files in the data folder (access log, archive, purge
 * log, report facts, outbox) into the record store, once: each kind in one transaction with a
 * marker, then its files are removed. Run again (after a crash, or by a second process) it moves
 * nothing twice. Returns what it moved, in words.
 */
export async function importDataFolder(dataDir: string, r: Records, keys: KeyRing): Promise<string[]> {
  const moved: string[] = [];
  for (const source of sources(r, keys)) {
    const path = join(dataDir, source.name);
    if (!existsSync(path)) continue;
    const count = await r.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
      const done = await trx
        .selectFrom('data_folder_import')
        .select('name')
        .where('name', '=', source.name)
        .executeTakeFirst();
      if (done) return undefined;
      const n = await source.move(trx, path);
      await trx.insertInto('data_folder_import').values({ name: source.name, at: new Date() }).execute();
      return n;
    });
    await rm(path, { recursive: true, force: true });
    if (count !== undefined) moved.push(`${source.name} (${count})`);
  }
  // The folder the report facts were in goes too, once nothing else is in it.
  await rmdir(join(dataDir, 'reports')).catch(() => undefined);
  return moved;
}
