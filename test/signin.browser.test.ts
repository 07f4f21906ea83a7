import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { serviceEnv, startService, type RunningService } from './support/service';
import { track } from './support/processes';

let service: RunningService;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  service = await startService(await serviceEnv());
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.interrupt();
});

describe('signing in, in a real browser', () => {
  it('sends a person from the service address to the workspace, through sign-in, and back', async () => {
    await page.goto(service.baseUrl);
    await page.waitForSelector('text=Sign in to reconnect-cases (development)');
    await page.click('button:has-text("Amira Khan (caseworker)")');
    await page.waitForSelector('h1:has-text("My work")');
    expect(new URL(page.url()).pathname).toBe('/app');
  });

  it('signs the command line in with the device flow: open the address, confirm the code', async () => {
    const env = {
      ...process.env,
      CASES_API: service.baseUrl,
      CASES_TOKEN: '',
      CASES_TOKEN_FILE: join(mkdtempSync(join(tmpdir(), 'reconnect-cli-')), 'token.json'),
    };
    const login = track(
      spawn(process.execPath, ['--import', 'tsx', 'client/cli.ts', 'login'], { env, detached: true }),
    );
    let stderr = '';
    let stdout = '';
    login.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => login.once('exit', resolve));
    const address = await new Promise<string>((resolve, reject) => {
      login.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Open (\S+) and confirm the code (\S+)\./.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`login exited ${code}: ${stderr}`)));
    });
    await page.goto(address);
    await page.click('button:has-text("Continue")');
    // Still signed in to the provider from the workspace, or signing in now.
    if (await page.isVisible('text=Sign in to reconnect-cases (development)')) {
      await page.click('button:has-text("Amira Khan (caseworker)")');
    }
    await page.waitForSelector('text=The command line is signed in.');
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 'cw-amira', roles: ['caseworker'] });
    expect(statSync(env.CASES_TOKEN_FILE).mode & 0o077).toBe(0);
    const whoami = spawnSync(process.execPath, ['--import', 'tsx', 'client/cli.ts', 'whoami'], {
      env,
      encoding: 'utf8',
    });
    expect(JSON.parse(whoami.stdout)).toMatchObject({ id: 'cw-amira' });
  }, 120_000);

  it('serves the interactive API documentation from the same contract', async () => {
    await page.goto(`${service.baseUrl}/docs`);
    await page.waitForSelector('text=A caseworker or supervisor action');
    await expect(page.textContent('body')).resolves.toMatch(/reconnect-cases/);
    await page.screenshot({ path: join(tmpdir(), 'reconnect-api-docs.png') });
  });
});
