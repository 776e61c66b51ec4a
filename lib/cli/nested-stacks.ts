/**
 * The nested stack templates of a cloud assembly, linked to their parents as the validation plugin links
 * them during synthesis: a nested stack deploys where its top-level stack does, and its parameters come
 * from its parent's AWS::CloudFormation::Stack. That resource names the template by the S3 location it is
 * published to (TemplateURL), which the assembly's asset manifests map to the template's file; CDK also
 * records the file as `aws:asset:path` metadata when asked to.
 */
import { readFileSync, readdirSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { CfnTemplate, indexTemplate, isObject } from '../ecs/template-values';

/** A nested stack's parent: the template that holds its AWS::CloudFormation::Stack, and that resource's logical id. */
export interface NestedStackParent {
  readonly file: string;
  readonly logicalId: string;
}

/** A template and the file it was read from. */
export interface TemplateFile {
  readonly file: string;
  readonly template: CfnTemplate;
}

/** The parent of each nested stack template among `templates`, by the template's resolved path. */
export function nestedStackParents(templates: readonly TemplateFile[]): Map<string, NestedStackParent> {
  const parents = new Map<string, NestedStackParent>();
  const assets = new Map<string, readonly PublishedFile[]>();
  for (const { file, template } of templates) {
    const directory = dirname(file);
    const published = () => assets.get(directory) ?? assets.set(directory, publishedFiles(directory)).get(directory)!;
    for (const [logicalId, resource] of indexTemplate(template).ofType('AWS::CloudFormation::Stack')) {
      const nested = nestedTemplatePath(resource, directory, published);
      if (nested !== undefined) parents.set(resolve(nested), { file, logicalId });
    }
  }
  return parents;
}

/** The file of the template an AWS::CloudFormation::Stack deploys, when the assembly tells it. */
function nestedTemplatePath(
  resource: { readonly Properties?: { readonly [key: string]: unknown }; readonly Metadata?: { readonly [key: string]: unknown } },
  directory: string,
  published: () => readonly PublishedFile[],
): string | undefined {
  // `https://s3.<region>.<URLSuffix>/<bucket>/<object key>`, written as a Fn::Join: its last literal part ends with the key.
  const texts = stringsIn(resource.Properties?.TemplateURL);
  const deploys = (asset: PublishedFile) => asset.objectKeys.some((key) => texts.some((text) => text.endsWith(`/${key}`)));
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    // The metadata names the file CDK wrote; where the asset manifest tells, the TemplateURL must still be its (not overridden).
    const path = join(directory, assetPath);
    const asset = published().find((a) => a.path === path);
    return asset === undefined || deploys(asset) ? path : undefined;
  }
  return published().find(deploys)?.path;
}

/** Whether `directory` holds an asset manifest, which links nested stack templates to their parents. */
export function hasAssetManifest(directory: string): boolean {
  try {
    return readdirSync(directory).some((name) => name.endsWith('.assets.json'));
  } catch {
    return false;
  }
}

/** A file asset of the assembly, and the S3 object keys it is published to. */
interface PublishedFile {
  readonly path: string;
  readonly objectKeys: readonly string[];
}

// An asset manifest that cannot be read names no file: the nested template is then read without its parent, as before.
function publishedFiles(directory: string): PublishedFile[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.assets.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const files = readJson(join(directory, name))?.files;
    return Object.values(isObject(files) ? files : {}).flatMap((asset) => publishedFile(directory, asset));
  });
}

function publishedFile(directory: string, asset: unknown): PublishedFile[] {
  const path = isObject(asset) && isObject(asset.source) ? asset.source.path : undefined;
  const destinations = isObject(asset) && isObject(asset.destinations) ? Object.values(asset.destinations) : [];
  if (typeof path !== 'string') return [];
  const keys = destinations.map((d) => (isObject(d) ? d.objectKey : undefined));
  return [{ path: join(directory, path), objectKeys: keys.filter((key): key is string => typeof key === 'string') }];
}

function readJson(file: string): { readonly files?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isObject(value) ? Object.values(value).flatMap(stringsIn) : [];
}
