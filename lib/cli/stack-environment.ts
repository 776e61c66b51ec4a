import { readFileSync } from 'fs';
import { basename, dirname, join } from 'path';

/** Where a stack deploys, as its cloud assembly's manifest says; a part CDK left unknown is undefined. */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
}

/**
 * The environment of the stack whose template is `templateFile`, read from the `manifest.json` of the
 * cloud assembly beside it (`cdk.out`). The ECS reader resolves images (ECR and asset registries) and
 * the URL suffix from it, as the validation plugin does during synthesis; without a manifest, or for a
 * stack without an environment, nothing is known.
 */
export function stackEnvironment(templateFile: string, manifests = new Map<string, ReadonlyMap<string, StackEnvironment>>()): StackEnvironment {
  const directory = dirname(templateFile);
  let byTemplate = manifests.get(directory);
  if (!byTemplate) {
    byTemplate = readManifest(join(directory, 'manifest.json'));
    manifests.set(directory, byTemplate);
  }
  return byTemplate.get(basename(templateFile)) ?? {};
}

function readManifest(file: string): ReadonlyMap<string, StackEnvironment> {
  const byTemplate = new Map<string, StackEnvironment>();
  let manifest: { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string } } | null> } | null;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return byTemplate; // no cloud assembly here: templates written by hand or copied out of one
  }
  // A manifest of another shape (null, an artifact that is not an object) names no stack environment.
  for (const artifact of Object.values(manifest?.artifacts ?? {})) {
    const templateFile = artifact?.properties?.templateFile;
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof templateFile !== 'string') continue;
    // `aws://123456789012/eu-west-1`; CDK writes unknown-account / unknown-region for env-agnostic stacks.
    const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(artifact.environment ?? '');
    byTemplate.set(templateFile, {
      account: match && match[1] !== 'unknown-account' ? match[1] : undefined,
      region: match && match[2] !== 'unknown-region' ? match[2] : undefined,
    });
  }
  return byTemplate;
}
