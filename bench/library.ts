/**
 * The library as a user's app loads it: `require('secure-service')`, through the package's entry point
 * (lib/entry-point.ts), on first use. A hand-written process never calls this, so it never loads our
 * code; one of ours loads only the target it builds, as an app does.
 */
type Library = typeof import('../lib');

let loaded: Library | undefined;

export function library(): Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as described above
  return (loaded ??= require('../lib/entry-point') as Library);
}
