// Debian's Chromium driven by playwright-core, for browser tests of the dashboard. The flags keep
// it from reaching for the network on its own (this machine's network is closed); Playwright
// starts it with a fresh profile (--user-data-dir) every time.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** Saves a full-page screenshot as test-results/screenshots/{name}.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Collects what the page reports as broken: uncaught errors, console errors (a CSP violation,
 * say) and answers of 500 and above. A 4xx answer is not collected: the tests provoke those
 * (a wrong password, a duplicate id tag) and check how the page shows them.
 */
export function watchForPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || /the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return errors;
}

/** Logs in through the dashboard's form and waits for the overview. */
export async function logIn(page: Page, url: string, credentials: { email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

export interface DashboardPage {
  page: Page;
  /** What the page reported as broken (see watchForPageErrors). */
  errors: string[];
  close(): Promise<void>;
}

/** A browser with one page logged in to the dashboard at `url`; confirmation dialogs are accepted. */
export async function openLoggedIn(url: string, credentials: { email: string; password: string }, contextOptions: BrowserContextOptions = {}): Promise<DashboardPage> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  page.on('dialog', (dialog) => void dialog.accept());
  await logIn(page, url, credentials);
  return {
    page,
    errors,
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
