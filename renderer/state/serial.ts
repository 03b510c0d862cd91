/**
 * A queue of one: each task starts when the previous one settled. The engine starts
 * the bundled PostgreSQL lazily on the first call that needs it, and two such calls
 * at once (a graph load and a Diagnose) would both try to start it; funnelling them
 * through here keeps that from happening whatever the user clicks.
 */
export function createSerial(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
