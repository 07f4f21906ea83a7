import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../config/config';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/searchAttributes';
import { CLUSTER_DEFAULTS } from '../cluster/cluster';
import { SHARED } from '../cluster/temporalServer';
import { RECORD_STORE } from '../cluster/recordStore';
import { storeConfigFrom } from '../store/store';
import { resolve as resolvePath } from 'node:path';

interface Service {
  image?: string;
  expose?: string[];
  secrets?: (string | { source: string })[];
  build?: unknown;
  command?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  deploy?: { replicas?: number | string };
  ports?: string[];
  volumes?: (string | { source: string; target: string })[];
  entrypoint?: unknown;
}

const env = {
  ENCRYPTION_KEYS: 'k1:AAAA',
  LINK_KEY: 'BBBB',
  POSTGRES_PASSWORD: 'secret',
  STORE_OWNER_PASSWORD: 'owner-secret',
  STORE_SERVICE_PASSWORD: 'service-secret',
  TLS_DIR: '/etc/reconnect-tls',
  OIDC_ISSUER: 'https://login.example.org',
  OIDC_CLIENT_SECRET: 'secret',
  PUBLIC_URL: 'https://cases.example.org',
  TEMPORAL_UI_URL: 'https://temporal.example.org',
  TEMPORAL_UI_CLIENT_ID: 'temporal-ui',
  TEMPORAL_UI_CLIENT_SECRET: 'secret',
};

/** The resolved file: by the Docker client where it has compose, else parsed here (anchors and merges included). */
function resolved(): { services: Record<string, Service>; secrets: Record<string, { file: string }> } {
  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (docker.status === 0) {
    const out = spawnSync('docker', ['compose', 'config', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout) as ReturnType<typeof resolved>;
  }
  return parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as ReturnType<typeof resolved>;
}

describe('docker-compose.yml (production shape)', () => {
  const { services, secrets } = resolved();
  const secretNames = (s: Service) => (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source));
  /** A value as written or as resolved: `${NAME:?…}` stands for the test's environment value. */
  const value = (v: string | undefined) =>
    (v ?? '').replace(/\$\{(\w+)(:[-?][^}]*)?\}/g, (_m, name: string) => env[name as keyof typeof env] ?? '');

  it('runs PostgreSQL, Temporal on it, the Web UI, scalable workers and the API', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'postgresql',
        'store-setup',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.temporal?.environment?.DB).toBe('postgres12');
    expect(services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
    expect(services['temporal-schema']?.depends_on?.postgresql?.condition).toBe('service_healthy');
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(String(services.worker?.deploy?.replicas)).toMatch(/^(\$\{WORKER_REPLICAS:-2\}|2)$/);
  });

  it('wires worker and API to Temporal through configuration the service validates', () => {
    const known = Object.keys(ConfigSchema.shape);
    for (const name of ['worker', 'api']) {
      const s = services[name]!;
      expect(s.depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
      expect(s.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
      for (const key of Object.keys(s.environment ?? {})) expect(known).toContain(key);
      expect(s.environment?.ENCRYPTION_KEYS).toBeDefined();
    }
    expect(services.worker?.environment?.RUN_API).toBe('false');
    expect(services.api?.environment?.RUN_WORKER).toBe('false');
  });

  it("gives workers and the API the record store's database: its service role, and its owner for migrations only", () => {
    const setup = services['store-setup']!;
    expect(setup.image).toBe(services.postgresql?.image);
    expect(setup.depends_on?.postgresql?.condition).toBe('service_healthy');
    // The script `npm run cluster` runs, so both make the same database, roles and grants.
    const mounted = (setup.volumes ?? []).map((v) =>
      typeof v === 'string' ? v.split(':') : [v.source, v.target],
    );
    const script = mounted.find(([from]) => resolvePath(from!) === RECORD_STORE.setupScript);
    expect(script).toBeDefined();
    expect(JSON.stringify(setup.entrypoint)).toContain(script![1]);
    expect(value(setup.environment?.PGPASSWORD)).toBe(env.POSTGRES_PASSWORD);
    expect(value(setup.environment?.STORE_OWNER_PASSWORD)).toBe(env.STORE_OWNER_PASSWORD);
    expect(value(setup.environment?.STORE_SERVICE_PASSWORD)).toBe(env.STORE_SERVICE_PASSWORD);
    const sqlText = readFileSync(RECORD_STORE.setupScript, 'utf8');
    for (const name of [RECORD_STORE.database, RECORD_STORE.owner, RECORD_STORE.service])
      expect(sqlText).toContain(name);

    for (const name of ['worker', 'api']) {
      const s = services[name]!;
      expect(s.depends_on?.['store-setup']?.condition).toBe('service_completed_successfully');
      const config = loadConfig({
        STORE_URL: value(s.environment?.STORE_URL),
        STORE_MIGRATION_URL: value(s.environment?.STORE_MIGRATION_URL),
      });
      const store = storeConfigFrom(config) as { kind: string; url: string; migrateUrl: string };
      expect(store.kind).toBe('postgres');
      const service = new URL(store.url);
      const owner = new URL(store.migrateUrl);
      expect([service.username, service.password, service.host, service.pathname]).toEqual([
        RECORD_STORE.service,
        env.STORE_SERVICE_PASSWORD,
        'postgresql:5432',
        `/${RECORD_STORE.database}`,
      ]);
      expect([owner.username, owner.password, owner.host, owner.pathname]).toEqual([
        RECORD_STORE.owner,
        env.STORE_OWNER_PASSWORD,
        'postgresql:5432',
        `/${RECORD_STORE.database}`,
      ]);
    }
  });

  it('registers exactly the search attributes the workflows use', () => {
    const command = JSON.stringify(services['temporal-setup']?.command);
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(command).toContain(`--name ${key.name} --type`);
    expect(command.match(/--name /g)).toHaveLength(ALL_SEARCH_ATTRIBUTES.length);
  });

  it('publishes neither Temporal nor its Web UI to the host, and the API on loopback only (for the ingress)', () => {
    expect(services.temporal?.ports).toBeUndefined();
    expect(services['temporal-ui']?.ports).toBeUndefined();
    expect(services.postgresql?.ports).toBeUndefined();
    // Behind the ingress, rate limits key on the forwarded client address.
    expect(services.api?.environment?.TRUST_PROXY).toBe('true');
    expect((services.api?.ports ?? []).map(String)).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:3000:3000$|127\.0\.0\.1/),
    ]);
  });

  it('requires mutual TLS on Temporal, and gives every client a certificate the service checks at start-up', () => {
    const t = services.temporal!.environment!;
    expect(t.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
    for (const k of [
      'TEMPORAL_TLS_SERVER_CA_CERT',
      'TEMPORAL_TLS_FRONTEND_CERT',
      'TEMPORAL_TLS_CLIENT1_CA_CERT',
    ]) {
      expect(t[k]).toMatch(/^\/run\/secrets\//);
    }
    for (const name of ['worker', 'api', 'temporal-setup', 'temporal-ui']) {
      const s = services[name]!;
      expect(secretNames(s)).toEqual(
        expect.arrayContaining(['temporal-ca', 'temporal-client-cert', 'temporal-client-key']),
      );
    }
    for (const name of ['worker', 'api']) {
      const e = services[name]!.environment!;
      expect(e).toMatchObject({
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_CA_FILE: '/run/secrets/temporal-ca',
        TEMPORAL_TLS_CERT_FILE: '/run/secrets/temporal-client-cert',
        TEMPORAL_TLS_KEY_FILE: '/run/secrets/temporal-client-key',
      });
    }
    for (const secret of Object.values(secrets))
      expect(value(secret.file)).toMatch(/^\/etc\/reconnect-tls\//);
  });

  it('puts the Web UI behind the OpenID provider, reading payloads through the codec endpoint over HTTPS', () => {
    const ui = services['temporal-ui']!.environment!;
    expect(ui.TEMPORAL_AUTH_ENABLED).toBe('true');
    expect(value(ui.TEMPORAL_AUTH_PROVIDER_URL)).toBe(env.OIDC_ISSUER);
    expect(value(ui.TEMPORAL_CODEC_ENDPOINT)).toBe('https://cases.example.org/codec');
    expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBe('true');
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    const api = services.api!.environment!;
    expect(value(api.OIDC_ISSUER)).toMatch(/^https:/);
    expect(value(api.PUBLIC_URL)).toMatch(/^https:/);
    expect(value(api.CODEC_CORS_ORIGIN)).toBe(env.TEMPORAL_UI_URL);
  });

  it('gives the API settings its own configuration accepts', () => {
    const resolvedEnv = Object.fromEntries(
      Object.entries(services.api!.environment!).map(([k, v]) => [k, value(String(v))]),
    );
    expect(() => loadConfig(resolvedEnv)).not.toThrow();
  });

  it('runs the server version, schema steps, dynamic config and shard count of `npm run cluster`', () => {
    const version = readFileSync('cluster/temporal/server-version', 'utf8').trim();
    expect(services.temporal?.image).toBe(`temporalio/server:${version}`);
    for (const name of ['temporal-schema', 'temporal-setup'])
      expect(services[name]?.image).toBe(`temporalio/admin-tools:${version}`);
    const mounts = (s: Service) =>
      (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0]! : v.source));
    const local = (p: string) => resolvePath(p);
    expect(mounts(services['temporal-schema']!).map(local)).toContain(local(SHARED.schemaScript));
    expect(JSON.stringify(services['temporal-schema']!.entrypoint)).toContain('schema.sh');
    expect(mounts(services.temporal!).map(local)).toContain(local(SHARED.dynamicConfig));
    expect(services.temporal?.environment?.DYNAMIC_CONFIG_FILE_PATH).toBe(
      '/etc/temporal/config/dynamicconfig/reconnect.yaml',
    );
    expect(Number(services.temporal?.environment?.NUM_HISTORY_SHARDS)).toBe(CLUSTER_DEFAULTS.historyShards);
    expect(services.temporal?.depends_on?.['temporal-schema']?.condition).toBe(
      'service_completed_successfully',
    );
    // The launcher builds the same server from its Go module.
    expect(readFileSync('scripts/setup.sh', 'utf8')).toContain('cluster/temporal/server-version');
  });

  it('takes secrets from the environment, never from the file', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).toMatch(/ENCRYPTION_KEYS: \$\{ENCRYPTION_KEYS:\?/);
    expect(text).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(text).toMatch(/STORE_OWNER_PASSWORD: \$\{STORE_OWNER_PASSWORD:\?/);
    expect(text).toMatch(/STORE_SERVICE_PASSWORD: \$\{STORE_SERVICE_PASSWORD:\?/);
    expect(text).toMatch(/STORE_URL: postgres:\/\/records_service:\$\{STORE_SERVICE_PASSWORD:\?/);
    expect(text).toMatch(/STORE_MIGRATION_URL: postgres:\/\/records_owner:\$\{STORE_OWNER_PASSWORD:\?/);
  });
});
