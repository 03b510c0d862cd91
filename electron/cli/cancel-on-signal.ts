/**
 * The signals that end a command (Ctrl-C, a service manager's stop, a closing terminal), with
 * the exit code a shell gives for each (128 + its number); a running gate cancels first, and
 * cli.ts exits with that code once the cancel has finished.
 */
export const ENDING_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const satisfies Partial<Record<NodeJS.Signals, number>>;
const CANCELLING_SIGNALS = Object.keys(ENDING_SIGNALS) as (keyof typeof ENDING_SIGNALS)[];

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
