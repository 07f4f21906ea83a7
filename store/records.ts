import { accessLogKeyOf, type KeyRing } from '../security/keys';
import { StoreAccessLog } from './accessLog';
import { StoreArchive } from './archive';
import { StoreFactStore } from './facts';
import { StoreOutbox } from './outbox';
import { OversightStore } from './oversight';
import { CaseReferences, PersonIndex } from './people';
import { openStore, type Store, type StoreConfig } from './store';

/** Everything the service keeps in the record store, over one connection (pool). */
export interface Records {
  db: Store;
  accessLog: StoreAccessLog;
  archive: StoreArchive;
  facts: StoreFactStore;
  outbox: StoreOutbox;
  oversight: OversightStore;
  people: PersonIndex;
  references: CaseReferences;
}

/** The record store's parts over an open store. */
export function recordsOf(db: Store, keys: KeyRing): Records {
  const accessLog = new StoreAccessLog(db, accessLogKeyOf(keys));
  return {
    db,
    accessLog,
    archive: new StoreArchive(db, keys, accessLog),
    facts: new StoreFactStore(db),
    outbox: new StoreOutbox(db, keys),
    oversight: new OversightStore(db, keys),
    people: new PersonIndex(db, keys),
    references: new CaseReferences(db),
  };
}

/** Opens the store (bringing its schema up to date) and its parts; `records.db.destroy()` closes it. */
export async function openRecords(config: StoreConfig, keys: KeyRing): Promise<Records> {
  return recordsOf(await openStore(config), keys);
}
