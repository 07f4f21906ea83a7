import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigSchema } from '../config/config';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  deploy?: { replicas?: number | string };
  ports?: string[];
}

const env = { ENCRYPTION_KEYS: 'k1:AAAA', LINK_KEY: 'BBBB', POSTGRES_PASSWORD: 'secret' };

/** The resolved file: by the Docker client where it has compose, else parsed here (anchors and merges included). */
function resolved(): { services: Record<string, Service> } {
  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (docker.status === 0) {
    const out = spawnSync('docker', ['compose', 'config', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout) as { services: Record<string, Service> };
  }
  return parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
}

describe('docker-compose.yml (production shape)', () => {
  const { services } = resolved();

  it('runs PostgreSQL, Temporal on it, the Web UI, scalable workers and the API', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.temporal?.environment?.DB).toBe('postgres12');
    expect(services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
    expect(services.temporal?.depends_on?.postgresql?.condition).toBe('service_healthy');
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

  it('takes secrets from the environment, never from the file', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).toMatch(/ENCRYPTION_KEYS: \$\{ENCRYPTION_KEYS:\?/);
    expect(text).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
  });
});
