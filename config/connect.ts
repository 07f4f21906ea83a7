import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { keyRingFromEnv, loadOrCreateKeyFile, type KeyRing } from '../security/keys';
import { caseDataConverter } from '../security/dataConverter';
import { ConfigError, type Config } from './config';

/** Production keys from the environment; otherwise the key ring in KEYS_FILE (the data folder by default). */
export function keysFor(config: Config): KeyRing {
  return config.ENCRYPTION_KEYS && config.LINK_KEY
    ? keyRingFromEnv(config.ENCRYPTION_KEYS, config.LINK_KEY)
    : loadOrCreateKeyFile(config.keysFile);
}

/**
 * TLS to Temporal: with certificate and key files, mutual TLS. The files are read and checked
 * at start-up (PEM that parses, a key that matches the certificate, dates in force), so a bad
 * setting stops the process with the variable's name rather than failing on first use.
 */
export function tlsFor(config: Config): TLSConfig | undefined {
  if (!config.TEMPORAL_TLS) return undefined;
  const read = (name: keyof Config) => {
    const path = config[name] as string;
    try {
      return readFileSync(path);
    } catch {
      throw new ConfigError(`${String(name)}: cannot read ${path}`);
    }
  };
  const tls: TLSConfig = {};
  if (config.TEMPORAL_TLS_CERT_FILE && config.TEMPORAL_TLS_KEY_FILE) {
    const crt = read('TEMPORAL_TLS_CERT_FILE');
    const key = read('TEMPORAL_TLS_KEY_FILE');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(crt);
    } catch {
      throw new ConfigError('TEMPORAL_TLS_CERT_FILE: not a PEM certificate');
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(key);
    } catch {
      throw new ConfigError('TEMPORAL_TLS_KEY_FILE: not a PEM private key');
    }
    if (!cert.checkPrivateKey(privateKey))
      throw new ConfigError('TEMPORAL_TLS_KEY_FILE: does not match the certificate');
    const now = Date.now();
    if (Date.parse(cert.validTo) < now || Date.parse(cert.validFrom) > now) {
      throw new ConfigError(`TEMPORAL_TLS_CERT_FILE: not valid now (${cert.validFrom} to ${cert.validTo})`);
    }
    tls.clientCertPair = { crt, key };
  }
  if (config.TEMPORAL_TLS_CA_FILE) {
    const ca = read('TEMPORAL_TLS_CA_FILE');
    try {
      new X509Certificate(ca);
    } catch {
      throw new ConfigError('TEMPORAL_TLS_CA_FILE: not a PEM certificate');
    }
    tls.serverRootCACertificate = ca;
  }
  if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  return tls;
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
