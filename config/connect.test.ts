import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { tlsFor } from './connect';

// Certificates made here with openssl, as an operator would for Temporal's mutual TLS.
const dir = mkdtempSync(join(tmpdir(), 'reconnect-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

beforeAll(() => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=worker',
    '-keyout',
    file('client.key'),
    '-out',
    file('client.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('client.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    file('client.pem'),
  );
  openssl('genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('other.key'));
  writeFileSync(file('garbage.pem'), 'not a certificate');
});

const config = (env: Record<string, string>) =>
  loadConfig({
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_CA_FILE: file('ca.pem'),
    TEMPORAL_TLS_CERT_FILE: file('client.pem'),
    TEMPORAL_TLS_KEY_FILE: file('client.key'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal',
    ...env,
  });

describe('mutual TLS to Temporal, checked at start-up', () => {
  it('reads a certificate, its key and the CA into the connection settings', () => {
    const tls = tlsFor(config({}))!;
    expect(tls.clientCertPair?.crt.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls.serverRootCACertificate?.toString()).toContain('BEGIN CERTIFICATE');
    expect(tls.serverNameOverride).toBe('temporal');
  });

  it('names the variable when a key does not match, a file is missing or is not PEM', () => {
    expect(() => tlsFor(config({ TEMPORAL_TLS_KEY_FILE: file('other.key') }))).toThrow(
      new ConfigError('TEMPORAL_TLS_KEY_FILE: does not match the certificate'),
    );
    expect(() => tlsFor(config({ TEMPORAL_TLS_CA_FILE: file('missing.pem') }))).toThrow(
      /TEMPORAL_TLS_CA_FILE: cannot read/,
    );
    expect(() => tlsFor(config({ TEMPORAL_TLS_CERT_FILE: file('garbage.pem') }))).toThrow(
      /TEMPORAL_TLS_CERT_FILE: not a PEM certificate/,
    );
    expect(() => config({ TEMPORAL_TLS_KEY_FILE: '' })).toThrow(/TEMPORAL_TLS_KEY_FILE: .*set together/);
  });

  it('refuses a plain-http identity provider except on loopback', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'http://login.example.org', OIDC_CLIENT_SECRET: 'x' })).toThrow(
      /OIDC_ISSUER: must be https/,
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:3001', OIDC_CLIENT_SECRET: 'x' })).not.toThrow();
    expect(() => loadConfig({ OIDC_ISSUER: 'https://login.example.org' })).toThrow(/OIDC_CLIENT_SECRET/);
  });
});
