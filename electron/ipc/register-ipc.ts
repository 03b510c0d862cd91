import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, dispatchFront, isFrontChannel, JOB_EVENT_CHANNEL, type ChannelKey, type FrontHandlers } from '../../shared/contract/api';
import { appError, err } from '../../shared/errors/app-error';
import type { AppService } from '../app-service/app-service';
import { isTrustedSender } from './trusted-sender';

export interface IpcOptions {
  ipcMain: IpcMain;
  service: Pick<AppService, 'dispatch' | 'onJobEvent'>;
  /** The channels the window answers itself (folder-dialog.ts). */
  front: FrontHandlers;
  /** Our window's webContents; messages from any other are refused. */
  webContents: () => WebContents | null;
  /** file:// URL of dist/renderer/index.html. */
  pageUrl: string;
}

/**
 * The one typed-IPC wrapper: one ipcMain.handle per channel of the contract, each
 * checking the sender frame before handing the payload to the engine's `dispatch`
 * (which validates it against the channel's zod schema). Job events go to our
 * window only, on the one event channel.
 */
export function registerIpc(options: IpcOptions): () => void {
  const keys = Object.keys(CHANNELS) as ChannelKey[];
  for (const key of keys) {
    options.ipcMain.handle(CHANNELS[key].name, async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!trusted(event, options)) {
        return err(appError('usage', `Refused ${CHANNELS[key].name}: the request did not come from the app's own page.`));
      }
      return isFrontChannel(key) ? dispatchFront(options.front, key, payload) : options.service.dispatch(key, payload);
    });
  }
  const unsubscribe = options.service.onJobEvent((jobEvent) => {
    const target = options.webContents();
    if (target && !target.isDestroyed()) target.send(JOB_EVENT_CHANNEL, jobEvent);
  });
  return () => {
    unsubscribe();
    for (const key of keys) options.ipcMain.removeHandler(CHANNELS[key].name);
  };
}

function trusted(event: IpcMainInvokeEvent, options: IpcOptions): boolean {
  const ours = options.webContents();
  const frame = event.senderFrame;
  return isTrustedSender(
    {
      url: frame ? frame.url : null,
      isMainFrame: frame !== null && ours !== null && frame === ours.mainFrame,
      isOurWindow: ours !== null && event.sender === ours,
    },
    options.pageUrl,
  );
}
