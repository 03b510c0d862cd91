import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy, windowOptions } from '../../../electron/window-options';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe('windowOptions', () => {
  const options = windowOptions('/app/dist/electron/preload.js');

  it('isolates the page: context isolation, sandbox, no Node, web security, no webview', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('is 1280×800 by default and never smaller than 1100×700', () => {
    expect([options.width, options.height]).toEqual([1280, 800]);
    expect([options.minWidth, options.minHeight]).toEqual([1100, 700]);
  });

  it('keeps DevTools off unless asked for', () => {
    expect(options.webPreferences.devTools).toBe(false);
    expect(windowOptions('p', { devTools: true }).webPreferences.devTools).toBe(true);
  });
});

describe('content security policy', () => {
  const header = directives(contentSecurityPolicy());

  it('has exactly the expected directives', () => {
    expect(Object.fromEntries(header)).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'worker-src': "'self'",
      'style-src': "'self'",
      'style-src-attr': "'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'connect-src': "'self'",
      'font-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('never allows inline or evaluated script', () => {
    expect(header.get('script-src')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(header.get('style-src')).not.toContain('unsafe-inline');
  });

  it('index.html carries the same policy in its meta element (frame-ancestors only in the header)', () => {
    const html = fs.readFileSync(path.resolve(__dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta?.[1]).toBe(metaContentSecurityPolicy());
    const fromMeta = directives(metaContentSecurityPolicy());
    expect(fromMeta.has('frame-ancestors')).toBe(false);
    for (const [name, value] of fromMeta) expect(header.get(name)).toBe(value);
  });
});
