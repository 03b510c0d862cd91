import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppApi } from '../shared/contract/api';
import { CHANNEL_NAMES, JOB_EVENT_CHANNEL, type ChannelKey } from '../shared/contract/channel-names';
import type { JobEvent } from '../shared/contract/events';

/**
 * The page's only door to the engine: `window.api`, one function per channel of the
 * contract plus `onJobEvent`. Built by mapping over the channel names so a new channel needs no
 * change here; ipcRenderer, process and any generic send stay on this side.
 */
function invoker(key: ChannelKey): (request: unknown) => Promise<unknown> {
  const name = CHANNEL_NAMES[key];
  return (request) => ipcRenderer.invoke(name, request ?? {});
}

function onJobEvent(listener: (event: JobEvent) => void): () => void {
  const handler = (_event: IpcRendererEvent, jobEvent: JobEvent) => listener(jobEvent);
  ipcRenderer.on(JOB_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(JOB_EVENT_CHANNEL, handler);
  };
}

const channels = Object.fromEntries((Object.keys(CHANNEL_NAMES) as ChannelKey[]).map((key) => [key, invoker(key)]));

// The per-channel functions carry the contract's types; the map above only builds them.
const api = { ...channels, onJobEvent } as unknown as AppApi;

contextBridge.exposeInMainWorld('api', api);
