/** Copies newest first, as the lists and "keep the newest N" read them; copies without a readable time go last, by name. */
export function newestFirst<T extends { name: string; createdAt: string | null }>(items: T[]): T[] {
  const time = (iso: string | null) => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isNaN(t) ? -Infinity : t;
  };
  return [...items].sort((a, b) => {
    const ta = time(a.createdAt);
    const tb = time(b.createdAt);
    // -Infinity − -Infinity is NaN: compare only when the times differ.
    if (ta !== tb) return tb > ta ? 1 : -1;
    return a.name.localeCompare(b.name);
  });
}
