/** The first thing `find` returns for `items`, in order, or undefined: the first problem, the first reason. */
export function firstFound<T, R>(items: readonly T[], find: (item: T, index: number) => R | undefined): R | undefined {
  for (let i = 0; i < items.length; i++) {
    const found = find(items[i], i);
    if (found !== undefined) return found;
  }
  return undefined;
}
