import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { FIXTURE_REPO } from './app-driver';
import { makeTempDir } from '../support/temp-dir';

/**
 * Setup's repository field says at once whether the folder holds an Alembic project, as
 * the user types (the engine opens it the way a rebuild does), and what to do when it
 * does not; a path pasted with Explorer's quotes works and is saved without them. The
 * browser host has no folder dialog, so no "Choose folder…" button (Electron's is
 * checked in test/reliability/electron-security.test.ts). Screenshots at 1100×700 and
 * 1280×800, light and dark, land in test-artifacts/e2e/.
 */
const availability = browserAvailability();
const SIZES = [
  { width: 1100, height: 700 },
  { width: 1280, height: 800 },
];
const THEMES = ['light', 'dark'] as const;
const scratch = makeTempDir('repo-field-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available || wantsElectron())('the repository folder field', () => {
  it('checks the typed folder as the user types, says what to do when it is not a project, and saves a quoted Windows-style paste without its quotes', async () => {
    app = await startAppUnderTest('repository folder');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const field = page.getByLabel('Repository folder');
    const line = page.getByTestId('check-repo-folder');
    const shots = async (name: string) => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        for (const theme of THEMES) {
          await page.emulateMedia({ colorScheme: theme });
          await field.scrollIntoViewIfNeeded();
          await app?.screenshot(`${name}-${size.width}x${size.height}-${theme}`);
        }
      }
    };

    // No native dialog in a browser: the field is the way in.
    expect(await page.getByTestId('choose-repo-folder').count()).toBe(0);
    // The field's live verdict is part of its description for screen readers.
    expect(await field.getAttribute('aria-describedby')).toContain('repo-check');

    const notABackend = path.join(scratch, 'Not A Backend');
    fs.mkdirSync(notABackend);
    await field.fill(notABackend);
    await page.locator('[data-testid="check-repo-folder"][data-ok="false"]').waitFor({ timeout: 15_000 });
    expect(await line.innerText()).toContain('No alembic.ini found');
    expect(await line.innerText()).toMatch(/holds alembic\.ini/);
    await shots('not-a-project');

    await field.fill('II SKELDIR II');
    await page.getByText('II SKELDIR II is not a full path.').waitFor({ timeout: 15_000 });

    // Typing on: only the verdict for the text now in the field shows, never one for a path typed past.
    await field.fill(path.join(scratch, 'missing folder'));
    await field.pressSequentially('x');
    await page.getByText(`The folder ${path.join(scratch, 'missing folderx')} does not exist.`).waitFor({ timeout: 15_000 });

    await field.fill(`"${FIXTURE_REPO}"`);
    await page.locator('[data-testid="check-repo-folder"][data-ok="true"]').waitFor({ timeout: 15_000 });
    expect(await line.innerText()).toMatch(/Alembic project found \(alembic\.ini\)[\s\S]*\d+ revisions?, \d+ heads?\./);
    await shots('project-found');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-testid="check-alembic-ini"][data-ok="true"]').waitFor({ timeout: 30_000 });
    expect(await field.inputValue()).toBe(FIXTURE_REPO);
    const stored = await app.service?.dispatch('getSettings', {});
    expect(stored?.ok && (stored.value as { repoDir: string }).repoDir).toBe(FIXTURE_REPO);

    // The browser host answers the dialog channel itself: no dialog, and why.
    const token = new URL(page.url()).searchParams.get('token') ?? '';
    const answer = await page.request.post(new URL('/api/chooseFolder', page.url()).href, {
      headers: { 'X-Skeldir-Token': token, 'Content-Type': 'application/json' },
      data: { purpose: 'repository' },
    });
    const body = (await answer.json()) as { ok: boolean; value?: { kind: string; reason?: string } };
    expect(body.ok).toBe(true);
    expect(body.value?.kind).toBe('unavailable');
    expect(body.value?.reason).toMatch(/type or paste/);
  }, 120_000);
});
