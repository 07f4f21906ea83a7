import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (or CHROMIUM_PATH), headless, with nothing that reaches outside the machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context signed in to the workspace at `baseUrl` as the staff member named `name`. */
export async function signedIn(browser: Browser, baseUrl: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}/app`);
  await page.waitForSelector('text=Sign in to reconnect-cases (development)');
  await page.click(`button:has-text("${name}")`);
  await page.waitForSelector('h1:has-text("My work")');
  return page;
}
