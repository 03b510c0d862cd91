/** The signals that cancel a running command; cli.ts exits with each one's code (130, 143, 129) once the cancel has finished. */
const CANCELLING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work` with Ctrl-C, a closing terminal and a service manager's stop turned into
 * `cancel`. While a listener of ours is registered, cli.ts waits for `work` to end before it
 * exits; `once`, so a second signal finds none and cli.ts exits at once.
 */
export async function cancelOnSignal<T>(cancel: () => void, work: () => Promise<T>): Promise<T> {
  for (const signal of CANCELLING_SIGNALS) process.once(signal, cancel);
  try {
    return await work();
  } finally {
    for (const signal of CANCELLING_SIGNALS) process.off(signal, cancel);
  }
}
