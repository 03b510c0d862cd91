import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

/**
 * The maintainers' Windows workflow cannot run here (no Windows runner, no Electron zip),
 * so it is checked for what can break it silently: it parses, runs on windows-latest,
 * every npm command it runs exists in package.json, every file it names exists, and it
 * uploads the installer. The builder configuration it uses is checked for signing and
 * the update feed, each on only when its environment is set.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const workflow = YAML.parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'windows.yml'), 'utf8')) as {
  jobs: Record<string, { 'runs-on': string; steps: Array<{ run?: string; uses?: string; with?: Record<string, string> }> }>;
};
const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('.github/workflows/windows.yml', () => {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const commands = steps
    .flatMap((step) => (step.run ?? '').split('\n'))
    .map((line) => line.trim())
    .filter(Boolean);

  it('runs on windows-latest: npm ci, npm test, npm run dist:win, and uploads the installer', () => {
    expect(Object.values(workflow.jobs).map((job) => job['runs-on'])).toEqual(['windows-latest']);
    expect(commands).toEqual(expect.arrayContaining(['npm ci', 'npm test', 'npm run dist:win']));
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toMatch(/release\/\*\.exe/);
  });

  it('every npm command it runs exists in package.json, and every repository file it names exists', () => {
    for (const line of commands) {
      for (const match of line.matchAll(/\bnpm (?:run(?:-script)? )?([\w:-]+)/g)) {
        const name = match[1];
        if (name === 'ci' || name === 'install') continue;
        expect(scripts, `"${line}" needs the script ${name}`).toHaveProperty(name);
      }
      for (const match of line.matchAll(/(?:^|\s)((?:test|build|electron|sql)\/[\w./-]+)/g))
        expect(fs.existsSync(path.join(ROOT, match[1])), match[1]).toBe(true);
    }
    // dist:win reads the builder configuration this test loads below.
    expect(scripts['dist:win']).toContain('build/electron-builder.config.cjs');
  });
});

describe('build/electron-builder.config.cjs', () => {
  const load = createRequire(__filename)(path.join(ROOT, 'build', 'electron-builder.config.cjs')) as { config(env: NodeJS.ProcessEnv): Record<string, any> };

  it('is unsigned and without an update feed when the environment says nothing', () => {
    const config = load.config({});
    expect(config.win.azureSignOptions).toBeUndefined();
    expect(config.publish).toBeNull();
    expect(config.win.icon).toBe('build/icon.ico');
  });

  it('signs with Azure Trusted Signing and publishes a generic feed when their variables are set', () => {
    const config = load.config({
      AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net',
      AZURE_TRUSTED_SIGNING_ACCOUNT: 'skeldir',
      AZURE_TRUSTED_SIGNING_PROFILE: 'release',
      SKELDIR_UPDATE_URL: 'https://updates.example.invalid/skeldir',
    });
    expect(config.win.azureSignOptions).toMatchObject({
      endpoint: 'https://weu.codesigning.azure.net',
      codeSigningAccountName: 'skeldir',
      certificateProfileName: 'release',
    });
    expect(config.publish).toEqual([{ provider: 'generic', url: 'https://updates.example.invalid/skeldir' }]);
  });

  it('names a multi-size icon: 16, 32, 48 and 256 px entries', () => {
    const ico = fs.readFileSync(path.join(ROOT, 'build', 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 32, 48, 256]);
  });
});
