import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './test-env';

/** Debian's chromium (apt-get install chromium), or CHROMIUM_PATH. Headless, no sandbox (containers). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

/** A fresh browser context (own cookies and storage) on the given system, in the given interface language. */
export async function openApp(browser: Browser, baseUrl: string, options: { language?: 'en' | 'zh-CN' } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: options.language ?? 'en', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('/');
  return page;
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  /** The CSS selectors of the offending elements, to find them. */
  targets: string[];
}

/** WCAG 2.1 A and AA rules through axe; returns the serious and critical violations (the tests expect none). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeFinding[]> {
  // A menu or dialog still fading in or out is checked at its final colours, not half transparent
  // (on a loaded machine axe can catch a transition midway and report its blended text as contrast).
  // Endless animations (a spinner) are not waited for.
  await page.waitForFunction(
    () => {
      interface Running {
        playState: string;
        effect: { getTiming(): { iterations?: number } } | null;
      }
      const { document } = globalThis as unknown as { document: { getAnimations(): Running[] } };
      return document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);
    },
    undefined,
    { polling: 'raf', timeout: 0 },
  );
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * A screenshot under test/.artifacts/screenshots (the README shows the ones copied to docs/screenshots):
 * the whole page, or what the window shows (`fullPage: false`, for a dialog over the page).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

/**
 * The label of the focused element, run in the page (a string, since the tests' TypeScript has no
 * DOM types): its aria-label, its <label>, or its text; without the required-field asterisk, which
 * screen readers skip (aria-hidden).
 */
const FOCUSED_NAME = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : null);
  return (labelled ?? el.textContent ?? el.getAttribute('name') ?? el.tagName).replace(/\\s*\\*$/, '').trim();
})()`;

/** The accessible names of the elements Tab reaches, in order, starting from the top of the page. */
export async function tabOrder(page: Page, presses: number): Promise<string[]> {
  const names: string[] = [];
  await page.locator('body').focus();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    names.push(await page.evaluate<string>(FOCUSED_NAME));
  }
  return names;
}
