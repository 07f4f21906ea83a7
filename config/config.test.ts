import { storeConfigFrom } from '../store/store';
import { ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('has working defaults for the embedded service', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      TEMPORAL_NAMESPACE: 'default',
      API_PORT: 3000,
      RUN_WORKER: true,
      NOTIFIER: 'outbox',
    });
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('reads the team meeting as a weekday and a UK time', () => {
    expect(loadConfig({}).TEAM_MEETING).toEqual({ weekday: 1, time: '10:00' });
    expect(loadConfig({ TEAM_MEETING: 'wednesday 14:30' }).TEAM_MEETING).toEqual({
      weekday: 3,
      time: '14:30',
    });
    for (const bad of ['Mon 10:00', 'Monday 25:00', 'Monday', 'every day 10:00'])
      expect(() => loadConfig({ TEAM_MEETING: bad })).toThrow(/TEAM_MEETING: must be a weekday and a time/);
  });

  it('names every bad variable', () => {
    const bad = () => loadConfig({ API_PORT: 'eighty', TEMPORAL_ADDRESS: 'temporal', RUN_API: 'yes please' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
    expect(bad).toThrow(/API_PORT: .*expected number/);
    expect(bad).toThrow(/RUN_API: .*expected one of/);
  });

  it('needs keys in pairs and an SMTP address for the SMTP notifier', () => {
    expect(() => loadConfig({ ENCRYPTION_KEYS: 'k1:AAAA' })).toThrow(
      /LINK_KEY: ENCRYPTION_KEYS and LINK_KEY are set together/,
    );
    expect(() => loadConfig({ NOTIFIER: 'smtp' })).toThrow(/SMTP_URL: NOTIFIER=smtp needs SMTP_URL/);
  });
});

describe('settings that close side doors', () => {
  it('refuses an API off loopback beside the development identity provider, naming the settings to change', () => {
    expect(() => loadConfig({ API_HOST: '0.0.0.0' })).toThrow(
      /API_HOST: the development identity provider \(used while OIDC_ISSUER is unset\).*set API_HOST to 127\.0\.0\.1, or set OIDC_ISSUER/,
    );
    expect(() => loadConfig({ API_HOST: 'localhost' })).not.toThrow();
    expect(() => loadConfig({ API_HOST: '0.0.0.0', RUN_API: 'false' })).not.toThrow();
    expect(() =>
      loadConfig({ API_HOST: '0.0.0.0', OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_SECRET: 'x' }),
    ).not.toThrow();
  });

  it('answers to the public address, its own address and loopback names only, and any the ingress adds', () => {
    expect(loadConfig({}).allowedHosts).toEqual(['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']);
    const behindIngress = loadConfig({
      API_HOST: '0.0.0.0',
      PUBLIC_URL: 'https://Cases.example.org',
      OIDC_ISSUER: 'https://login.example.org',
      OIDC_CLIENT_SECRET: 'x',
      ALLOWED_HOSTS: 'api:3000, cases.internal',
    });
    expect(behindIngress.allowedHosts).toEqual([
      'cases.example.org',
      '127.0.0.1:3000',
      'localhost:3000',
      '[::1]:3000',
      'api:3000',
      'cases.internal',
    ]);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://evil.example/' })).toThrow(/ALLOWED_HOSTS/);
  });

  it('keeps the generated keys where KEYS_FILE says, or in the data folder, never beside ENCRYPTION_KEYS', () => {
    expect(loadConfig({ DATA_DIR: '/srv/cases' }).keysFile).toBe('/srv/cases/keys.json');
    expect(loadConfig({ DATA_DIR: '/srv/cases', KEYS_FILE: '/etc/cases/keys.json' }).keysFile).toBe(
      '/etc/cases/keys.json',
    );
    expect(() =>
      loadConfig({ KEYS_FILE: '/etc/k.json', ENCRYPTION_KEYS: 'k1:AAAA', LINK_KEY: 'AAAA' }),
    ).toThrow(/KEYS_FILE: keys come from ENCRYPTION_KEYS or from KEYS_FILE, not both/);
  });
});

describe("the record store's settings", () => {
  const service = 'postgres://records_service:pw@db.internal:5432/reconnect_records';
  const owner = 'postgresql://records_owner:pw@db.internal:5432/reconnect_records';

  it('is embedded in the data folder unless STORE_URL names a PostgreSQL database', () => {
    const c = loadConfig({ DATA_DIR: '/srv/reconnect' });
    expect(storeConfigFrom(c)).toEqual({ kind: 'embedded', dir: '/srv/reconnect/store' });
    expect(storeConfigFrom(loadConfig({ STORE_URL: service }))).toEqual({ kind: 'postgres', url: service });
  });

  it("migrates with the owner's connection when STORE_MIGRATION_URL is set, and with STORE_URL's otherwise", () => {
    expect(storeConfigFrom(loadConfig({ STORE_URL: service, STORE_MIGRATION_URL: owner }))).toEqual({
      kind: 'postgres',
      url: service,
      migrateUrl: owner,
    });
    // Empty counts as unset, as for every setting.
    expect(storeConfigFrom(loadConfig({ STORE_URL: service, STORE_MIGRATION_URL: '' }))).toEqual({
      kind: 'postgres',
      url: service,
    });
  });

  it('names a URL that is not PostgreSQL, and an owner without a database to migrate', () => {
    expect(() => loadConfig({ STORE_URL: 'mysql://x@db/records' })).toThrow(
      /STORE_URL: must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ STORE_URL: service, STORE_MIGRATION_URL: 'db.internal:5432' })).toThrow(
      /STORE_MIGRATION_URL: must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ STORE_MIGRATION_URL: owner })).toThrow(
      /STORE_MIGRATION_URL: STORE_MIGRATION_URL migrates the database at STORE_URL: set STORE_URL too/,
    );
  });
});
