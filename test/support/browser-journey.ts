// Steps shared by the browser journeys (test/web-record-actions.test.ts in English,
// test/web-journey-zh.test.ts in Simplified Chinese): people signing in, finding a record in their
// inbox, the record page's actions and dialogs, and journey steps that stop at the first failure.
import type { Browser, Locator, Page } from 'playwright-core';
import { openApp } from './browser';
import type { TestSystem } from './test-system';

/** The names the English interface gives what the journeys look for (each test passes its own for other languages). */
export const ENGLISH = { actions: 'What you may do now' } as const;

/**
 * Waits for what the process shows once it has moved on by itself (a step with nothing to do, the
 * PDF rendered after closing): the page follows the record after an action; should it stop
 * following first, a reload reads it again. No deadline but the test's own.
 */
export async function whenShown(page: Page, locator: Locator): Promise<void> {
  for (;;) {
    try {
      await locator.waitFor({ timeout: 15_000 });
      return;
    } catch {
      await page.reload();
    }
  }
}

/** The record page's "What you may do now" region (named `name` in another language). */
export const actionsOf = (page: Page, name: string = ENGLISH.actions) => page.getByRole('region', { name });
export const dialogOf = (page: Page) => page.getByRole('dialog');

/** The labels of the actions the record page offers now. */
export async function buttonsOf(page: Page, regionName: string = ENGLISH.actions): Promise<string[]> {
  await actionsOf(page, regionName).getByRole('button').first().waitFor();
  return (await actionsOf(page, regionName).getByRole('button').allTextContents()).map((t) => t.trim());
}

/** Opens the record numbered `recordNumber` from the inbox page the person is on. */
export async function openRecordFromInbox(page: Page, recordNumber: string): Promise<void> {
  const row = page.getByRole('row').filter({ hasText: recordNumber });
  await whenShown(page, row);
  await row.getByRole('link', { name: recordNumber }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(recordNumber) }).waitFor();
}

/**
 * People's browsers on one system: each signs in (the one-time password changed over HTTP first)
 * in a browser context of its own, in English; uncaught page errors are collected, since a crashed
 * app shows a blank page, which no assertion names.
 */
export class JourneyBrowsers {
  readonly pages: Record<string, Page> = {};
  readonly pageErrors: string[] = [];

  constructor(
    private readonly system: TestSystem,
    private readonly browser: Browser,
  ) {}

  async signIn(username: string): Promise<Page> {
    await this.system.people.session(username);
    const page = await openApp(this.browser, this.system.baseUrl);
    page.on('pageerror', (error) => this.pageErrors.push(`${username}: ${error.message}`));
    await page.getByLabel(/^Username/).fill(username);
    await page.getByLabel(/^Password/).fill(this.system.people.passwords[username]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();
    this.pages[username] = page;
    return page;
  }
}

/**
 * Steps of one journey: each builds on the one before, so after a failed step the later ones fail
 * at once with that reason instead of waiting for a state that cannot come. Each step is a Jest
 * test (test/compliance-matrix.test.ts reads `step(` titles as test titles).
 */
export function journeySteps(timeoutMs: number): (name: string, body: () => Promise<void>) => void {
  let brokenAt: string | undefined;
  return (name, body) =>
    test(
      name,
      async () => {
        if (brokenAt) throw new Error(`An earlier step failed: ${brokenAt}`);
        try {
          await body();
        } catch (error) {
          brokenAt = name;
          throw error;
        }
      },
      timeoutMs,
    );
}
