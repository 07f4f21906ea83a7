import { cookieBrowser, signInRedirect } from './support/auth';
import { serviceEnv, startService, type RunningService } from './support/service';

// The workspace's session as a service published over HTTPS would set it (the HTTPS ingress is
// stood in for by calling the API's loopback port with the public address's paths).

const PUBLIC_URL = 'https://cases.example.test';
let service: RunningService;

beforeAll(async () => {
  service = await startService(await serviceEnv({ PUBLIC_URL }));
}, 180_000);

afterAll(async () => {
  await service?.interrupt();
});

describe('the workspace session off loopback', () => {
  it('is an encrypted cookie that is HttpOnly, Secure and SameSite=Lax, and signs the person in', async () => {
    const browser = cookieBrowser();
    const login = await browser.go(`${service.baseUrl}/auth/login?returnTo=/app`);
    expect(login.status).toBe(303);
    const back = await signInRedirect(
      browser,
      login,
      service.issuer,
      `${PUBLIC_URL}/auth/callback`,
      'cw-amira',
    );
    const callback = await browser.go(`${service.baseUrl}/auth/callback${back.search}`);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/app');
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('rc_session='))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/eyJ/); // the token inside is sealed, not readable
    expect(callback.headers.get('strict-transport-security')).toBeTruthy();

    const me = await browser.go(`${service.baseUrl}/me`);
    expect(await me.json()).toMatchObject({ id: 'cw-amira', roles: ['caseworker'] });
  });
});
