import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { keyRingFromEnv, loadOrCreateKeyFile, type KeyRing } from '../security/keys';
import { caseDataConverter } from '../worker/worker';
import type { Config } from './config';

/** Production keys from the environment; otherwise the key ring in the data folder. */
export function keysFor(config: Config): KeyRing {
  return config.ENCRYPTION_KEYS && config.LINK_KEY
    ? keyRingFromEnv(config.ENCRYPTION_KEYS, config.LINK_KEY)
    : loadOrCreateKeyFile(join(config.dataDir, 'keys.json'));
}

export function tlsFor(config: Config) {
  if (!config.TEMPORAL_TLS) return undefined;
  return config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY
    ? {
        clientCertPair: {
          crt: Buffer.from(config.TEMPORAL_TLS_CERT),
          key: Buffer.from(config.TEMPORAL_TLS_KEY),
        },
      }
    : true;
}

/** A Temporal client that encrypts and decrypts with the case keys. */
export async function connectClient(config: Config, keys: KeyRing, address: string): Promise<Client> {
  const tls = tlsFor(config);
  const connection = await Connection.connect({ address, ...(tls ? { tls } : {}) });
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: caseDataConverter(keys),
  });
}
