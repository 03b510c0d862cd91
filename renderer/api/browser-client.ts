import { CHANNELS, type AppApi, type ChannelKey } from '../../shared/contract/api';
import type { JobEvent } from '../../shared/contract/events';
import { appError, err, type Result } from '../../shared/errors/app-error';

/**
 * AppApi over the loopback browser host (electron/host/browser-host.ts): each channel is
 * a POST to /api/<key> with the per-run token in a header, job events arrive on one
 * shared EventSource. Same type as the preload's window.api, so nothing above this
 * file knows which one it has.
 */
export const TOKEN_HEADER = 'X-Skeldir-Token';

export function createBrowserClient(token: string): AppApi {
  const call = async (key: ChannelKey, request: unknown): Promise<Result<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`/api/${key}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(request ?? {}),
      });
    } catch (error) {
      return err(
        appError('connection-failed', 'The app\u2019s local server does not answer.', {
          detail: error instanceof Error ? error.message : String(error),
          remediation: 'Start it again with `npm run dev:web` and open the URL it prints.',
        }),
      );
    }
    if (response.status === 403) {
      return err(
        appError('usage', 'The app\u2019s local server refused the request (missing or outdated token).', {
          remediation: 'Open the exact URL `npm run dev:web` printed, including ?token=.',
        }),
      );
    }
    if (!response.ok) return err(appError('internal', `The app\u2019s local server answered ${response.status} ${response.statusText}.`));
    return (await response.json()) as Result<unknown>;
  };

  const listeners = new Set<(event: JobEvent) => void>();
  let source: EventSource | null = null;
  const openSource = () => {
    source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let event: JobEvent;
      try {
        event = JSON.parse(message.data) as JobEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
  };

  const channels = Object.fromEntries((Object.keys(CHANNELS) as ChannelKey[]).map((key) => [key, (request: unknown) => call(key, request)]));
  const onJobEvent = (listener: (event: JobEvent) => void) => {
    listeners.add(listener);
    if (!source) openSource();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  // Each channel function returns what the host's dispatch returned for that channel.
  return { ...channels, onJobEvent } as unknown as AppApi;
}
