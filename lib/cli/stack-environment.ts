import { readFileSync } from 'fs';
import { basename, dirname, join } from 'path';

/** Where a stack deploys, as its cloud assembly's manifest says; a part CDK left unknown is undefined. */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/** One entry of construct metadata, as the cloud assembly records it. */
export interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

/** The construct metadata of a stack (its nested stacks' constructs included), by construct path: `/Shop/Api`. */
export type StackMetadata = ReadonlyMap<string, readonly MetadataEntry[]>;

/** What the cloud assembly's manifest says about one stack. */
export interface StackArtifact {
  readonly environment: StackEnvironment;
  /** Read when asked for: most checks need none. */
  readonly metadata: () => StackMetadata;
}

/** Each directory's manifest, read once: the stacks it names, by template file. */
export type ManifestCache = Map<string, ReadonlyMap<string, StackArtifact>>;

/**
 * The environment of the stack whose template is `templateFile`, read from the `manifest.json` of the
 * cloud assembly beside it (`cdk.out`). The ECS reader resolves images (ECR and asset registries) and
 * the URL suffix from it, as the validation plugin does during synthesis; without a manifest, or for a
 * stack without an environment, nothing is known.
 */
export function stackEnvironment(templateFile: string, manifests: ManifestCache = new Map()): StackEnvironment {
  return stackArtifact(templateFile, manifests)?.environment ?? {};
}

/**
 * The construct metadata CDK recorded for the stack whose template is `templateFile`: in the manifest,
 * and in the stack's metadata file (`additionalMetadataFile`, `Shop.metadata.json`). Empty without a manifest.
 */
export function stackMetadata(templateFile: string, manifests: ManifestCache = new Map()): StackMetadata {
  return stackArtifact(templateFile, manifests)?.metadata() ?? new Map();
}

function stackArtifact(templateFile: string, manifests: ManifestCache): StackArtifact | undefined {
  const directory = dirname(templateFile);
  const byTemplate = manifests.get(directory) ?? manifests.set(directory, readManifest(directory)).get(directory)!;
  return byTemplate.get(basename(templateFile));
}

/** The parts of an artifact of the manifest read here; a hand-edited one may hold anything. */
interface ManifestArtifact {
  readonly type?: unknown;
  readonly environment?: unknown;
  readonly properties?: { readonly templateFile?: unknown } | null;
  readonly metadata?: unknown;
  readonly additionalMetadataFile?: unknown;
}

function readManifest(directory: string): ReadonlyMap<string, StackArtifact> {
  const byTemplate = new Map<string, StackArtifact>();
  const manifest = readJson(join(directory, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact | null> } | null | undefined;
  // No manifest (templates written by hand or copied out of an assembly), or one of another shape
  // (null, an artifact that is not an object): no stack environment.
  for (const artifact of Object.values(manifest?.artifacts ?? {})) {
    const templateFile = artifact?.properties?.templateFile;
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof templateFile !== 'string') continue;
    // `aws://123456789012/eu-west-1`; CDK writes unknown-account / unknown-region for env-agnostic stacks.
    const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(typeof artifact.environment === 'string' ? artifact.environment : '');
    let metadata: StackMetadata | undefined;
    byTemplate.set(templateFile, {
      environment: {
        account: match && match[1] !== 'unknown-account' ? match[1] : undefined,
        region: match && match[2] !== 'unknown-region' ? match[2] : undefined,
      },
      metadata: () => (metadata ??= readMetadata(directory, artifact)),
    });
  }
  return byTemplate;
}

function readMetadata(directory: string, artifact: ManifestArtifact): StackMetadata {
  const file = typeof artifact.additionalMetadataFile === 'string' ? readJson(join(directory, artifact.additionalMetadataFile)) : undefined;
  const byPath = new Map<string, MetadataEntry[]>();
  for (const source of [artifact.metadata, file]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [path, entries] of Object.entries(source)) {
      const valid = Array.isArray(entries) ? entries.filter((e): e is MetadataEntry => typeof e?.type === 'string') : [];
      byPath.set(path, [...(byPath.get(path) ?? []), ...valid]);
    }
  }
  return byPath;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
