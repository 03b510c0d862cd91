/**
 * What must not outlive this process even when it exits before its owner's own clean-up ran
 * (a second Ctrl-C exits at once): each item still held is cleaned, synchronously, on 'exit'.
 * The owner removes an item once it cleaned it up itself.
 */
export interface CleanedOnExit<T> {
  add(item: T): void;
  delete(item: T): void;
}

export function cleanedOnExit<T>(clean: (item: T) => void): CleanedOnExit<T> {
  const held = new Set<T>();
  let registered = false;
  return {
    add(item) {
      if (!registered) {
        registered = true;
        process.on('exit', () => {
          for (const each of held) clean(each);
        });
      }
      held.add(item);
    },
    delete(item) {
      held.delete(item);
    },
  };
}
