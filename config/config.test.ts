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

describe('settings that close side doors (issue 20)', () => {
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
