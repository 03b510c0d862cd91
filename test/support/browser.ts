import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download is not
 * reachable in CI). Each launch gets a fresh profile folder, removed on close.
 * Missing Chromium: a failure in CI (CI=1), a loud skip elsewhere.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.SKELDIR_CHROMIUM || '/usr/bin/chromium';
}

export type BrowserAvailability = { available: true; executable: string } | { available: false; reason: string };

/**
 * Whether the browser tests can run. Throws in CI when Chromium is missing, so a
 * machine without it can never report the browser tests as passed.
 */
export function browserAvailability(): BrowserAvailability {
  const executable = chromiumPath();
  if (fs.existsSync(executable)) return { available: true, executable };
  const reason =
    `Chromium was not found at ${executable}. Install it with \`apt-get install -y chromium\` ` +
    '(Debian/Ubuntu), or point SKELDIR_CHROMIUM at a Chromium or Chrome binary.';
  if (process.env.CI) throw new Error(`[e2e] ${reason} CI is set, so the browser tests fail instead of skipping.`);
  process.stderr.write(`\n${'!'.repeat(78)}\n[e2e] SKIPPING the browser tests: ${reason}\n${'!'.repeat(78)}\n\n`);
  return { available: false, reason };
}

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<LaunchedBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
