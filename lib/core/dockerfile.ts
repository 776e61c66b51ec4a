/**
 * What a Dockerfile's final stage leaves as the image's user, for a warning when an image built from a
 * local Dockerfile would run as root before the service's own `user` setting is considered.
 */

/** Joins continuation lines and drops comments and blank lines. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The instructions of the final stage, its FROM first. */
function finalStage(dockerfile: string): string[] {
  const lines = instructions(dockerfile);
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  return lines.slice(Math.max(lastFrom, 0));
}

/**
 * The paths the final stage declares with VOLUME (`VOLUME ["/a", "/b"]` or `VOLUME /a /b`). Those its
 * base image declares are not in the Dockerfile.
 */
export function dockerfileVolumes(dockerfile: string): string[] {
  return finalStage(dockerfile).filter((line) => /^VOLUME\s/i.test(line)).flatMap((line) => {
    const value = line.replace(/^VOLUME\s+/i, '').trim();
    if (value.startsWith('[')) {
      try {
        const paths: unknown = JSON.parse(value);
        return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
      } catch {
        return [];
      }
    }
    return value.split(/\s+/);
  }).map((path) => (path.length > 1 ? path.replace(/\/+$/, '') : path));
}

/**
 * Why the final stage's USER is not a numeric non-root user, or undefined when it is: no USER (root),
 * USER root / 0, a name (cannot be verified), or a build variable.
 */
export function dockerfileUserProblem(dockerfile: string): string | undefined {
  const users = finalStage(dockerfile).filter((line) => /^USER\s/i.test(line));
  const user = users.length > 0 ? users[users.length - 1].replace(/^USER\s+/i, '').trim() : undefined;
  if (user === undefined) return 'the final stage has no USER instruction, so the image runs as root';
  const [uid, gid] = user.split(':');
  if (/\$/.test(user)) return `USER ${user} is set from a build variable, so its value cannot be verified`;
  if (uid === 'root' || uid === '0' || gid === 'root' || gid === '0') return `USER ${user} is root`;
  if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid))) return `USER ${user} is a name, not a numeric uid, so the runtime cannot verify it is not root`;
  return undefined;
}
