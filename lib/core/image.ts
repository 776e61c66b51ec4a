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

/**
 * Whether an image reference has parts only known at deploy time. Readers write such parts as
 * CloudFormation's Fn::Sub does (`${AWS::AccountId}`, `${ImageParameter}`); `$` and `{` never occur in a
 * real image reference, so the marker cannot be mistaken for one.
 */
export function hasDeployTimeParts(image: string): boolean {
  return image.includes('${');
}

/** Whether an image comes from one of the allowed registries: yes, no, or unknown until deployment. */
export type RegistryVerdict = 'allowed' | 'notAllowed' | 'unknown';

/**
 * `isFromAllowedRegistry` for a reference that may have deploy-time parts: what is known before the first
 * such part decides when it can (`ghcr.io/acme/${Name}:1` is under `ghcr.io/acme`;
 * `999999999999.dkr.ecr.us-east-1.${AWS::URLSuffix}/x` is under no `123456789012...` entry).
 */
export function registryVerdict(image: string, allowed: readonly string[]): RegistryVerdict {
  const cut = image.indexOf('${');
  if (cut < 0) return isFromAllowedRegistry(image, allowed) ? 'allowed' : 'notAllowed';
  const known = image.slice(0, cut);
  const lastSlash = known.lastIndexOf('/');
  const tagStart = known.slice(lastSlash + 1).search(/[:@]/);
  // Only the tag or digest is unknown: the name is complete (unless what follows adds a path, when the ':' was a port).
  if (tagStart >= 0 && !image.slice(cut).includes('/')) {
    return isFromAllowedRegistry(known.slice(0, lastSlash + 1 + tagStart), allowed) ? 'allowed' : 'notAllowed';
  }
  const entries = allowed.map((entry) => `${entry.replace(/\/+$/, '')}/`);
  const slash = known.indexOf('/');
  if (slash < 0) {
    // Even the host is incomplete: it may also turn out to be a Docker Hub name.
    const couldMatch = entries.some((entry) => entry.startsWith(known) || entry.startsWith('docker.io/'));
    return couldMatch ? 'unknown' : 'notAllowed';
  }
  const first = known.slice(0, slash);
  const prefix = first.includes('.') || first.includes(':') || first === 'localhost' ? known : `docker.io/${known}`;
  if (entries.some((entry) => prefix.startsWith(entry))) return 'allowed';
  return entries.some((entry) => entry.startsWith(prefix)) ? 'unknown' : 'notAllowed';
}

/*
 * The reference grammar of the distribution project (github.com/distribution/reference, regexp.go),
 * which Docker, containerd and ECS's agent parse with: [host[:port]/]path[:tag][@digest].
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
/** The longest name (host and path) the grammar allows. */
const MAX_NAME_LENGTH = 255;

/**
 * The problem with an image given as text, or undefined: both targets accept only a reference a
 * runtime can parse, so '', 'envoy proxy:1' or 'ghcr.io/Acme/api' fail at synth time instead of when the task pulls.
 */
export function imageReferenceProblem(image: unknown): string | undefined {
  if (typeof image === 'string' && REFERENCE.test(image) && referenceName(image).length <= MAX_NAME_LENGTH) return undefined;
  return `image must be an image reference such as 'ghcr.io/acme/api:1.4.2', found: ${JSON.stringify(image)}${referenceHint(image)}`;
}

/** The name of a reference that matches the grammar: without its digest and its tag (a ':' after the last '/'). */
function referenceName(image: string): string {
  return image.split('@')[0].replace(/:[\w.-]+$/, '');
}

/** What is wrong with a reference, where it can be told simply. */
function referenceHint(image: unknown): string {
  if (typeof image !== 'string' || image.trim() === '') return '';
  if (/\s/.test(image)) return '; an image reference contains no spaces, remove them';
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(image)) return `; an image reference has no scheme, remove ${JSON.stringify(image.slice(0, image.indexOf('://') + 3))}`;
  const path = parseImageReference(image).repository;
  if (path !== path.toLowerCase()) return `; repository names are lower case, found ${JSON.stringify(path)}`;
  return "; the form is [registry[:port]/]repository[:tag][@sha256:<64 hex digits>], a tag being 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";
}
