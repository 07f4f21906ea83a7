import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../config/config';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/searchAttributes';
import { CLUSTER_DEFAULTS } from '../cluster/cluster';
import { SHARED } from '../cluster/temporalServer';
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
      ['api', 'postgresql', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
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
  });
});
