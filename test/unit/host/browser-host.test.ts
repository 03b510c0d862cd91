import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../electron/host/browser-host';
import { createAppService, type AppService } from '../../../electron/app-service/app-service';
import { memorySecretStore, SettingsStore } from '../../../electron/app-service/settings-store';
import type { JobEvent } from '../../../shared/contract/events';
import { makeTempDir } from '../../support/temp-dir';

// A tiny renderer folder next to a secret file: serving must never reach the secret.
const root = makeTempDir('skeldir-host-test-');
const staticDir = path.join(root, 'renderer');
fs.mkdirSync(staticDir);
fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><link rel="stylesheet" href="./app.css"><script defer src="./app.js"></script>');
fs.writeFileSync(path.join(staticDir, 'app.js'), 'console.log(1)');
fs.writeFileSync(path.join(staticDir, 'app.css'), 'body{}');
fs.writeFileSync(path.join(root, 'secret.json'), '{"secret":true}');

let service: AppService;
let host: BrowserHost;

beforeAll(async () => {
  const store = new SettingsStore(path.join(root, 'settings', 'settings.json'), memorySecretStore());
  service = createAppService({ store, embeddedDir: path.join(root, 'embedded') });
  host = await startBrowserHost({ service, staticDir });
});

afterAll(async () => {
  await host.close();
  await service.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string; address?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.address ?? '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const api = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`/api/${key}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Skeldir-Token': host.token, ...headers },
    body: JSON.stringify(body),
  });

describe('startBrowserHost', () => {
  it('prints a loopback URL with a 32-character base64url token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses every request without the token', async () => {
    expect((await request('/')).status).toBe(403);
    expect((await request('/app.js')).status).toBe(403);
    expect((await request('/events')).status).toBe(403);
    expect((await request('/api/getSettings', { method: 'POST', body: '{}' })).status).toBe(403);
    // A token one character off (never the token itself, whatever its last character is).
    const lastChar = host.token.slice(-1);
    expect((await request(`/?token=${host.token.slice(0, -1)}${lastChar === 'x' ? 'y' : 'x'}`)).status).toBe(403);
  });

  it('API calls need the token in the header, not the query', async () => {
    const reply = await request(`/api/getSettings?token=${host.token}`, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const reply = await request(`/?token=${host.token}`, { headers: { Host: `evil.example:${host.port}` } });
    expect(reply.status).toBe(403);
    const apiReply = await api('getSettings', {}, { Host: 'evil.example' });
    expect(apiReply.status).toBe(403);
    expect((await request(`/?token=${host.token}`, { headers: { Host: `localhost:${host.port}` } })).status).toBe(200);
  });

  it('refuses a cross-origin API call', async () => {
    const reply = await api('getSettings', {}, { Origin: 'http://evil.example' });
    expect(reply.status).toBe(403);
  });

  it('getSettings with the token answers the engine\u2019s Result', async () => {
    const reply = await api('getSettings', {});
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; value: { connection: { mode: string; hasPassword: boolean }; databaseName: string } };
    expect(result.ok).toBe(true);
    expect(result.value.connection).toMatchObject({ mode: 'embedded', hasPassword: false });
    expect(result.value.databaseName).toBe('skeldir_validation');
  });

  it('validates payloads and rejects unknown channels', async () => {
    const invalid = JSON.parse((await api('loadGraph', { withState: 'yes' })).body) as { ok: boolean; error: { code: string } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect((await api('deleteEverything', {})).status).toBe(404);
    expect((await api('__proto__', {})).status).toBe(404);
    expect((await request('/api/getSettings', { headers: { 'X-Skeldir-Token': host.token } })).status).toBe(405);
  });

  it('serves the page with the CSP header and tokenized asset links', async () => {
    const reply = await request(`/?token=${host.token}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.body).toContain(`src="./app.js?token=${host.token}"`);
    expect(reply.body).toContain(`href="./app.css?token=${host.token}"`);
    const script = await request(`/app.js?token=${host.token}`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    const attempts = [
      '/../secret.json',
      '/%2e%2e/secret.json',
      '/..%2fsecret.json',
      '/..%5csecret.json',
      '/../package.json',
      `/${encodeURIComponent(path.join(root, 'secret.json'))}`,
    ];
    for (const attempt of attempts) {
      const separator = attempt.includes('?') ? '&' : '?';
      const reply = await request(`${attempt}${separator}token=${host.token}`);
      expect([403, 404], attempt).toContain(reply.status);
      expect(reply.body).not.toContain('secret');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    for (const address of addresses) {
      await expect(request(`/?token=${host.token}`, { address })).rejects.toThrow(/ECONNREFUSED/);
    }
    await expect(request(`/?token=${host.token}`, { address: '::1' })).rejects.toThrow(/ECONNREFUSED|EADDRNOTAVAIL/);
  });

  it('streams job events as server-sent events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: host.port, path: `/events?token=${host.token}` }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          if (buffer.includes('data: ')) {
            req.destroy();
            resolve(buffer);
          }
        });
        // Once connected, make the engine emit: a diagnose against a closed port still reports its gates.
        setTimeout(() => {
          void api('saveSettings', {
            connection: { mode: 'server', host: '127.0.0.1', port: 1, superuser: 'postgres', password: 'x' },
            repoDir: '',
            python: '',
            profilePath: '',
          }).then(() => api('startJob', { kind: 'diagnose' }));
        }, 50);
      });
      req.on('error', reject);
    });
    const first = received.split('\n').find((line) => line.startsWith('data: '));
    const event = JSON.parse((first ?? '').slice('data: '.length)) as JobEvent;
    expect(event.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.kind).toBe('gate-started');
  });
});
