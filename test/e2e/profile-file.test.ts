import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { makeTempDir } from '../support/temp-dir';

/**
 * A profile file that cannot be used is said in Setup, under the field where it was chosen,
 * with what is wrong in it: before, Setup showed only "Active: invalid profile" and the
 * field errors came only after a Diagnose was refused for them, while the header called the
 * server unreachable although nothing had been asked of it.
 */
const availability = browserAvailability();
const scratch = makeTempDir('profile-field-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let app: AppUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe.skipIf(!availability.available || wantsElectron())('the profile file field', () => {
  it('says under the field why a saved profile file cannot be used, and nothing once it is cleared', async () => {
    app = await startAppUnderTest('profile file');
    const { page } = app;
    await page.getByRole('heading', { name: 'Setup' }).waitFor();
    const file = path.join(scratch, 'broken profile.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'broken', database: { name: 42 } }));
    const field = page.getByLabel('Profile file');
    await field.fill(file);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const section = page.locator('section[aria-labelledby="profile-title"]');
    const said = section.locator('.error-box');
    await said.waitFor({ timeout: 15_000 });
    const text = await said.innerText();
    expect(text).toContain('This profile file cannot be used');
    expect(text).toMatch(/database/);
    // Nothing was asked of the server: the header does not call it unreachable.
    expect(await page.getByTestId('server-status').innerText()).not.toContain('unreachable');
    await section.scrollIntoViewIfNeeded();
    await app.screenshot('profile-file-invalid');

    await field.fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await said.waitFor({ state: 'detached', timeout: 15_000 });
  }, 120_000);
});
