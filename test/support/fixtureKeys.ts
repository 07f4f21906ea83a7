import type { KeyRing } from '../../security/keys';

/**
 * A fixed key for the recorded histories in test/histories, which hold synthetic data only.
 * It protects nothing real and is never used outside tests.
 */
export const FIXTURE_KEYS: KeyRing = {
  current: 'fixture1',
  keys: new Map([['fixture1', Buffer.from('cmVjb25uZWN0LWNhc2VzLWZpeHR1cmUta2V5LTMyISE=', 'base64')]]),
  linkKey: Buffer.from('cmVjb25uZWN0LWNhc2VzLWZpeHR1cmUtbGluay0zMiE=', 'base64'),
};
