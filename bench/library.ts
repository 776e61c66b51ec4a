/**
 * The library as a user's app loads it: `require('secure-service')`, through the package's entry point
 * (lib/entry-point.ts), on first use. A process building hand-written services never calls this (but
 * for the checks alone, which time our check on them), so it never loads our code; one building ours
 * loads only the target it builds, as an app does.
 */
type Library = typeof import('../lib');

let loaded: Library | undefined;

export function library(): Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as described above
  return (loaded ??= require('../lib/entry-point') as Library);
}
