import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNELS, dispatchFront, isFrontChannel, type ChannelKey, type FrontHandlers } from '../../shared/contract/api';
import { appError, err, ok, type Result } from '../../shared/errors/app-error';
import type { EngineService } from '../engine/api/engine-service';
import { contentSecurityPolicy } from '../window-options';
import { hostAllowed, newToken, originAllowed, tokenMatches } from './host-guards';
import { resolveStatic, withTokenizedAssets } from './static-files';

/**
 * The loopback browser host: the same renderer and the same engine service as the
 * desktop app, reachable from a plain browser for tests and `npm run dev:web`.
 * It listens on 127.0.0.1 only and answers nothing without the per-run token:
 * `?token=` on the page and the event stream, the X-Skeldir-Token header on API calls
 * (a custom header also forces a CORS preflight, which we never grant).
 */
export interface BrowserHostOptions {
  service: Pick<EngineService, 'dispatch' | 'onJobEvent'>;
  /** 0 or absent: a free port. */
  port?: number;
  /** dist/renderer */
  staticDir: string;
}

export interface BrowserHost {
  /** http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-skeldir-token';
const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

/**
 * The channels Electron answers with its window, as a browser page gets them: a page
 * cannot show the server's folder dialog, so it says so and Setup offers its checked
 * path field alone.
 */
export const BROWSER_FRONT: FrontHandlers = {
  chooseFolder: async () =>
    ok({ kind: 'unavailable', reason: 'The browser has no folder dialog: type or paste the folder’s path into the field; it is checked as you type.' }),
};

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = newToken();
  const csp = contentSecurityPolicy();
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page URL: never hand it to anyone in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });

  const send = (res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, port)) return send(res, 403, 'Forbidden: unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const headerToken = req.headers[TOKEN_HEADER];
    const givenHeader = typeof headerToken === 'string' ? headerToken : null;

    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, givenHeader)) return send(res, 403, 'Forbidden: missing or wrong token.');
      if (!originAllowed(req.headers.origin, port)) return send(res, 403, 'Forbidden: cross-origin request.');
      if (req.method !== 'POST') return send(res, 405, 'Use POST.');
      const key = url.pathname.slice('/api/'.length);
      if (!Object.prototype.hasOwnProperty.call(CHANNELS, key)) return send(res, 404, 'Unknown channel.');
      const result = await apiCall(req, key as ChannelKey);
      return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8');
    }

    if (!tokenMatches(token, url.searchParams.get('token') ?? givenHeader)) return send(res, 403, 'Forbidden: missing or wrong token.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Use GET.');
    if (url.pathname === '/events') return openStream(res);
    return serveStatic(res, url.pathname);
  };

  const apiCall = async (req: http.IncomingMessage, key: ChannelKey): Promise<Result<unknown>> => {
    const body = await readBody(req);
    if (body === null) return err(appError('usage', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
    let payload: unknown = {};
    if (body.trim() !== '') {
      try {
        payload = JSON.parse(body);
      } catch {
        return err(appError('usage', 'The request body is not valid JSON.'));
      }
    }
    return isFrontChannel(key) ? dispatchFront(BROWSER_FRONT, key, payload) : options.service.dispatch(key, payload);
  };

  const openStream = (res: http.ServerResponse) => {
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  };

  const serveStatic = (res: http.ServerResponse, pathname: string) => {
    const found = resolveStatic(options.staticDir, pathname);
    if (!found) return send(res, 404, 'Not found.');
    if (found.contentType.startsWith('text/html')) {
      return send(res, 200, withTokenizedAssets(fs.readFileSync(found.file, 'utf8'), token), found.contentType);
    }
    const data = fs.readFileSync(found.file);
    res.writeHead(200, { ...baseHeaders(), 'Content-Type': found.contentType, 'Content-Length': data.length });
    res.end(data);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  const unsubscribe = options.service.onJobEvent((event) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });
  // A comment line keeps proxies and idle timeouts from closing a quiet stream.
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      clearInterval(heartbeat);
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
