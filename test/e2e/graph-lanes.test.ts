import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAlembicProject } from '../../electron/engine/alembic/load-project';
import type { MigrationGraph } from '../../shared/graph/model';
import { buildPlanView } from '../../shared/graph/plan-view';
import { resolveTarget } from '../../shared/graph/resolve-target';
import type { Profile } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { startAppUnderTest, wantsElectron, type AppUnderTest } from '../support/app-under-test';
import { browserAvailability } from '../support/browser';
import { writeGeneratedProject, type GeneratedProject } from '../support/generated-alembic-project';
import { REAL_CORPUS_DIR, realCorpusMissing } from '../support/real-corpus';
import { LARGE_300 } from '../support/sample-project';
import { openView } from './app-driver';
import { makeTempDir } from '../support/temp-dir';

/**
 * The migration graph read at a glance, at 1100×700 and without zooming: for the real
 * Skeldir backend and the 300-revision fixture every head, the current revision and the
 * target are on screen with ids at least 9 px tall (measured on the rendered boxes);
 * for a generated 400-revision / 38-head project every head is one click away in the
 * heads list. The database state is real: alembic_version rows in the bundled
 * PostgreSQL, set to "half way through the plan's first step". Screenshots go to
 * test-artifacts/e2e/.
 */
const availability = browserAvailability();
const corpusMissing = realCorpusMissing();
if (corpusMissing && process.env.CI === 'true') throw new Error(`CI needs the real corpus: ${corpusMissing}`);
const VIEWPORT = { width: 1100, height: 700 };
const MIN_ID_PX = 9;

let app: AppUnderTest | null = null;
let generated: GeneratedProject | null = null;
const scratch = makeTempDir('skeldir-graph-e2e-');

afterAll(async () => {
  await app?.close();
  if (generated) fs.rmSync(generated.dir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

interface Scenario {
  repoDir: string;
  profile: Profile;
  rows: string[];
  heads: string[];
  target: string[];
}

/** What the database holds and what the graph must show: rows half way through the plan's first step. */
async function scenario(repoDir: string, profile: Profile): Promise<Scenario> {
  const project = await loadAlembicProject(repoDir);
  if (!project.ok) throw new Error(project.error.message);
  const { graph } = project.value;
  const fromEmpty = buildPlanView(graph, profile, []);
  const first = fromEmpty.steps[0]?.revisions ?? [];
  expect(first.length, `the plan to ${profile.migrations.target} runs something`).toBeGreaterThan(2);
  const rows = [first[Math.floor(first.length / 2)]];
  const resolved = resolveTarget(graph, profile.migrations.target, rows);
  if (!resolved.ok) throw new Error(resolved.error.message);
  return { repoDir, profile, rows, heads: graph.heads, target: resolved.value.revisions };
}

function profileFile(name: string, target: string): string {
  const file = path.join(scratch, `${name}.json`);
  const { plan: _plan, ...migrations } = SKELDIR_PROFILE.migrations;
  fs.writeFileSync(file, JSON.stringify({ ...SKELDIR_PROFILE, migrations: { ...migrations, target } }));
  return file;
}

/** Points the app at a repository and a profile, and writes the scenario's alembic_version rows. */
async function prepare(current: AppUnderTest, s: Scenario, profilePath: string): Promise<void> {
  const service = current.service;
  if (!service) throw new Error('the browser host is needed to set up the scenario');
  const saved = await service.dispatch('saveSettings', {
    connection: { mode: 'embedded', host: 'localhost', port: 5432, superuser: 'postgres' },
    repoDir: s.repoDir,
    python: '',
    profilePath,
  });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
  // Starts the bundled server (the first time) so the rows can be written.
  await service.dispatch('loadGraph', { withState: true });
  const database = s.profile.database.name;
  await current.superuserSql(`CREATE DATABASE ${database}`).catch((error: Error) => {
    if (!/already exists/.test(error.message)) throw error;
  });
  await current.superuserSql('CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(64) NOT NULL PRIMARY KEY)', database);
  await current.superuserSql(`DELETE FROM alembic_version; INSERT INTO alembic_version VALUES ${s.rows.map((r) => `('${r}')`).join(', ')}`, database);
}

/** `label@head` for the first head a branch label names on its own: the target a person would pick. */
function labelledHeadTarget(graph: MigrationGraph): string {
  for (const head of graph.heads) {
    for (const label of graph.inheritedLabels[head] ?? []) {
      const resolved = resolveTarget(graph, `${label}@head`);
      if (resolved.ok && resolved.value.revisions.length === 1 && resolved.value.revisions[0] === head) return `${label}@head`;
    }
  }
  throw new Error('no head is named by a branch label of its own');
}

/** The page's DOM as the predicates below use it (this file is compiled for Node). */
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
  activeElement: { id: string } | null;
};

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Shows the graph of the repository just configured: the toolbar's reload when the view is open (no page reload), else the view. */
async function showGraph(page: Page): Promise<void> {
  const reload = page.getByRole('button', { name: 'Reload the graph' });
  if (await reload.count()) await reload.click();
  else {
    await page.reload();
    await openView(page, 'graph');
  }
}

async function waitForGraph(page: Page, ids: string[]): Promise<void> {
  try {
    await page.locator('[data-testid="graph-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.locator('.graph-flow[data-fitted]').waitFor({ timeout: 10_000 });
    for (const id of ids) await page.locator(`.react-flow__node[data-id="${id}"] [data-testid="rev-id"]`).waitFor({ timeout: 15_000 });
  } catch (error) {
    await app?.screenshot('not-drawn');
    throw error;
  }
  // The viewport is set in an effect after the first paint: let it land.
  await page.waitForTimeout(400);
}

/** The rendered box of a revision's id text, checked against the canvas and the window. */
async function idBox(page: Page, id: string): Promise<Rect> {
  const box = await page.locator(`.react-flow__node[data-id="${id}"] [data-testid="rev-id"]`).boundingBox();
  if (!box) throw new Error(`revision ${id} is not drawn`);
  return box;
}

function inside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

async function assertReadable(page: Page, ids: string[], label: string): Promise<void> {
  const canvas = await page.getByTestId('graph-canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const windowBox = { x: 0, y: 0, ...VIEWPORT };
  const report: string[] = [];
  for (const id of ids) {
    const box = await idBox(page, id);
    report.push(`${id}: ${box.height.toFixed(1)} px at (${box.x.toFixed(0)}, ${box.y.toFixed(0)})`);
    expect(inside(box, canvas), `${label}: ${id} lies outside the canvas ${JSON.stringify(canvas)}: ${JSON.stringify(box)}`).toBe(true);
    expect(inside(box, windowBox), `${label}: ${id} lies outside the 1100×700 window: ${JSON.stringify(box)}`).toBe(true);
    expect(box.height, `${label}: ${id}'s id text is ${box.height} px tall`).toBeGreaterThanOrEqual(MIN_ID_PX);
  }
  process.stderr.write(`[e2e] ${label}: ${report.join('; ')}\n`);
}

describe.skipIf(!availability.available || wantsElectron())('migration graph at a glance (1100×700)', () => {
  beforeAll(async () => {
    app = await startAppUnderTest('graph lanes');
    await app.page.setViewportSize(VIEWPORT);
  });

  it.skipIf(corpusMissing !== null)(
    'the real Skeldir backend: heads, current and target readable without zooming; runs expand; keyboard; plan numbered; hazard drawn',
    async () => {
      const current = app as AppUnderTest;
      const { page } = current;
      const s = await scenario(REAL_CORPUS_DIR, SKELDIR_PROFILE);
      await prepare(current, s, '');
      await page.reload();
      await openView(page, 'graph');
      const must = [...new Set([...s.heads, ...s.rows, ...s.target])];
      await waitForGraph(page, must);
      expect(await page.getByTestId('graph-canvas').getAttribute('data-layout')).toBe('worker');
      await assertReadable(page, must, 'real corpus');
      // Folded: far fewer nodes than revisions, every revision in exactly one of them.
      const laidOut = async () => Number(await page.locator('.graph-flow').getAttribute('data-layout-nodes'));
      const nodes = await laidOut();
      expect(nodes).toBeLessThan(25);
      // Badges on the pinned revisions, numbered plan steps, lane names with counts.
      for (const head of s.heads) expect(await page.locator(`.react-flow__node[data-id="${head}"] .badge.head`).count()).toBe(1);
      expect(await page.locator(`.react-flow__node[data-id="${s.rows[0]}"] .badge.current`).count()).toBe(1);
      for (const t of s.target) expect(await page.locator(`.react-flow__node[data-id="${t}"] .badge.target`).count()).toBe(1);
      expect(await page.locator('.plan-step-mark').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('.lane-label').count()).toBeGreaterThanOrEqual(3);
      await current.screenshot('real-corpus');

      // A folded run expands on click and folds back.
      const canvasBox = (await page.getByTestId('graph-canvas').boundingBox()) as Rect;
      let first: string | null = null;
      for (const candidate of await page.locator('.react-flow__node-segment').all()) {
        const box = await candidate.boundingBox();
        if (box && inside(box, canvasBox)) {
          first = await candidate.locator('.seg-node').getAttribute('data-segment');
          await candidate.click();
          break;
        }
      }
      expect(first, 'a folded run is on screen').not.toBeNull();
      await page.locator(`.react-flow__node[data-id="${first}"]`).waitFor({ timeout: 10_000 });
      expect(await laidOut()).toBeGreaterThan(nodes);
      await page.waitForTimeout(400);
      await current.screenshot('real-corpus-expanded');
      await page.locator(`.react-flow__node[data-id="${first}"] .fold-button`).click();
      await page.locator(`.graph-flow[data-layout-nodes="${nodes}"]`).waitFor({ timeout: 10_000 });

      // Keyboard: "/" focuses search; arrows move; Enter opens the details.
      await page.locator('.graph-flow').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('/');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('graph-search');
      await page.keyboard.type(s.heads[0]);
      await page.locator(`.react-flow__node.selected[data-id="${s.heads[0]}"]`).waitFor({ timeout: 10_000 });
      await page.getByTestId('revision-panel').waitFor();
      await page.locator(`.react-flow__node[data-id="${s.heads[0]}"]`).click();
      await page.keyboard.press('ArrowUp');
      const moved = await page.locator('.react-flow__node.selected').getAttribute('data-id');
      expect(moved).not.toBe(s.heads[0]);
      await page.keyboard.press('Enter');
      await page.getByTestId('revision-panel').waitFor();

      // depends_on edges can be hidden.
      await page.getByRole('checkbox', { name: 'depends_on' }).uncheck();
      expect(await page.locator('.react-flow__edge.edge-depends').count()).toBe(0);
      await page.getByRole('checkbox', { name: 'depends_on' }).check();

      // An empty database: the one-step upgrade would hit the cross-branch FK (failure 1 of the
      // guide). The hazard is an edge of its own, and the two-step plan is numbered on the nodes.
      await current.superuserSql('DELETE FROM alembic_version', s.profile.database.name);
      await page.getByRole('button', { name: 'Reload the graph' }).click();
      await page.getByRole('tab', { name: 'Plan' }).click();
      await page.getByTestId('state-summary').filter({ hasText: 'empty database' }).waitFor({ timeout: 30_000 });
      await page.locator('.react-flow__edge.edge-hazard').first().waitFor({ state: 'attached', timeout: 15_000 });
      expect(await page.getByTestId('hazard-label').first().textContent()).toMatch(/needs \w+/);
      await page.locator('.graph-flow[data-fitted]').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(400);
      await current.screenshot('real-corpus-empty-database-hazard');
      expect(await page.locator('.plan-step-mark').allTextContents()).toEqual(expect.arrayContaining(['1', '2']));
    },
  );

  it('the 300-revision fixture: after switching repository the view is fitted to its heads, current and target', async () => {
    const current = app as AppUnderTest;
    const { page } = current;
    const graph = await loadAlembicProject(LARGE_300);
    if (!graph.ok) throw new Error(graph.error.message);
    const target = labelledHeadTarget(graph.value.graph);
    const profile = { ...SKELDIR_PROFILE, migrations: { target } } as Profile;
    const s = await scenario(LARGE_300, profile);
    await prepare(current, s, profileFile('large-300', target));
    // Reloaded from the toolbar, as a user would after switching repositories.
    await showGraph(page);
    const must = [...new Set([...s.heads, ...s.rows, ...s.target])];
    await page.waitForFunction((count) => document.querySelector('[data-testid="heads-count"]')?.textContent === `${count} heads`, s.heads.length, {
      timeout: 30_000,
    });
    await waitForGraph(page, must);
    await assertReadable(page, must, '300-revision fixture');
    await current.screenshot('large-300');

    // The minimap never covers the selected node.
    await page.locator(`.react-flow__node[data-id="${s.heads[s.heads.length - 1]}"]`).click();
    await page.waitForTimeout(300);
    const minimap = await page.locator('.react-flow__minimap').boundingBox();
    const selected = await page.locator('.react-flow__node.selected').boundingBox();
    if (minimap && selected)
      expect(
        inside(selected, minimap) ||
          (selected.x < minimap.x + minimap.width &&
            minimap.x < selected.x + selected.width &&
            selected.y < minimap.y + minimap.height &&
            minimap.y < selected.y + selected.height),
      ).toBe(false);
    await page.getByRole('checkbox', { name: 'minimap' }).uncheck();
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'minimap' }).check();
  });

  it('a generated 400-revision, 38-head project: every head one click from the list beside the canvas', async () => {
    const current = app as AppUnderTest;
    const { page } = current;
    generated = writeGeneratedProject({ revisions: 400, heads: 38 });
    const target = `${generated.labelledBranch}@head`;
    const profile = { ...SKELDIR_PROFILE, migrations: { target } } as Profile;
    const s = await scenario(generated.dir, profile);
    expect(s.heads).toHaveLength(38);
    await prepare(current, s, profileFile('generated', target));
    await showGraph(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="heads-count"]')?.textContent === '38 heads', undefined, { timeout: 30_000 });
    await waitForGraph(page, []);
    const list = page.getByTestId('heads-list');
    expect(await list.locator('[data-head-item]').count()).toBe(38);
    await current.screenshot('generated-400-38-heads');
    const canvas = (await page.getByTestId('graph-canvas').boundingBox()) as Rect;
    for (const head of s.heads) {
      await list.locator(`[data-head-item="${head}"]`).click();
      const node = page.locator(`.react-flow__node[data-id="${head}"]`);
      await node.waitFor({ timeout: 5_000 });
      await page.waitForTimeout(300);
      const box = (await node.boundingBox()) as Rect;
      expect(inside(box, canvas), `head ${head} is centred in the canvas after one click`).toBe(true);
      expect(await node.getAttribute('class')).toContain('selected');
    }
    await current.screenshot('generated-400-38-heads-picked');
  });
});
