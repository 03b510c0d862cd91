import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { MigrationGraph } from '../../shared/graph/model';
import { CHROMIUM_ARGS, chromiumPath } from './browser';

/**
 * Loads the built renderer from file:// in Chromium, as the packaged app loads it, and
 * asks the graph layout worker for a layout under the page's own CSP (index.html's meta
 * policy). `--allow-file-access-from-files` is what Electron grants file:// pages by
 * default (its GrantFileProtocolExtraPrivileges fuse, which electron-builder.yml leaves on).
 * Also tries a blob: worker, which the policy must refuse: proof the policy is in force.
 */
export interface WorkerUnderCsp {
  /** Node keys the worker's layout returned (empty when it failed). */
  laidOut: string[];
  workerError: string | null;
  /** How the blob: worker ended: 'refused' when the CSP stopped it. */
  blobWorker: 'refused' | 'ran';
}

interface PageWorker {
  onmessage: ((event: { data: { ok: boolean; result?: { folded: { nodes: { key: string }[] } }; message?: string } }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  postMessage(message: unknown): void;
}
declare const Worker: new (url: string) => PageWorker;
declare const Blob: new (parts: string[], options: { type: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

export async function layoutInWorkerFromFile(rendererDir: string, graph: MigrationGraph): Promise<WorkerUnderCsp> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-worker-csp-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pathToFileURL(path.join(rendererDir, 'index.html')).href);
    const answer = await page.evaluate(
      (g) =>
        new Promise<{ keys: string[]; error: string | null }>((resolve) => {
          const worker = new Worker('graph-layout-worker.js');
          worker.onmessage = (event) =>
            resolve({
              keys: event.data.ok ? (event.data.result?.folded.nodes.map((n) => n.key) ?? []) : [],
              error: event.data.ok ? null : (event.data.message ?? 'failed'),
            });
          worker.onerror = (event) => resolve({ keys: [], error: event.message ?? 'the worker did not load' });
          worker.postMessage({ requestId: 1, graphId: 1, graph: g, pinned: [], expanded: [], expandAll: false });
        }),
      graph,
    );
    const blob = await page.evaluate(
      () =>
        new Promise<'refused' | 'ran'>((resolve) => {
          try {
            const worker = new Worker(URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' })));
            worker.onmessage = () => resolve('ran');
            worker.onerror = () => resolve('refused');
          } catch {
            resolve('refused');
          }
        }),
    );
    return { laidOut: answer.keys, workerError: answer.error, blobWorker: blob };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
