/** What register-ipc.ts knows of the frame that sent a message. */
export interface SenderFacts {
  /** The frame's URL, or null when the frame is gone (navigated away, destroyed). */
  url: string | null;
  /** True when the frame is the window's top-level frame (not an iframe). */
  isMainFrame: boolean;
  /** True when the message came from our window's webContents. */
  isOurWindow: boolean;
}

/**
 * Whether an IPC message comes from our page: the window's main frame, showing our own
 * file:// URL of dist/renderer/index.html. Pure (URL strings in, boolean out) so it is
 * unit-tested without Electron; register-ipc.ts feeds it the sender frame.
 */
export function isTrustedSender(sender: SenderFacts, expectedPageUrl: string): boolean {
  if (!sender.isOurWindow || !sender.isMainFrame || sender.url === null) return false;
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(sender.url);
    expected = new URL(expectedPageUrl);
  } catch {
    return false;
  }
  // Query and fragment are the page's own business (view state); the document must match exactly.
  return actual.protocol === 'file:' && actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
}
