/** An image reference taken apart, as container runtimes read it. */
export interface ImageReference {
  /** The registry host, `docker.io` for Docker Hub. */
  readonly registry: string;
  /** The repository, with `library/` for Docker Hub official images. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `[registry/]repository[:tag][@digest]`; the first path part is a registry when it looks like a host. */
export function parseImageReference(image: string): ImageReference {
  const atDigest = image.split('@', 2);
  const nameAndTag = atDigest[0];
  const digest: string | undefined = atDigest[1];
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;

  const parts = name.split('/');
  const first = parts[0];
  const isHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = isHost ? first : 'docker.io';
  let repository = isHost ? parts.slice(1).join('/') : name;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag, digest };
}

/** Whether `image` comes from one of `allowed` (hosts, or host/path prefixes). */
export function isFromAllowedRegistry(image: string, allowed: readonly string[]): boolean {
  const ref = parseImageReference(image);
  const full = `${ref.registry}/${ref.repository}`;
  return allowed.some((entry) => {
    const prefix = entry.replace(/\/+$/, '');
    return full === prefix || full.startsWith(`${prefix}/`);
  });
}
