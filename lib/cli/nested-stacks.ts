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
  const texts = new Map<string, string | undefined>();
  const textOf = (path: string) => (texts.has(path) ? texts.get(path) : texts.set(path, readText(path)).get(path));
  for (const { file, template } of templates) {
    const directory = dirname(file);
    const published = () => assets.get(directory) ?? assets.set(directory, publishedFiles(directory)).get(directory)!;
    for (const [logicalId, resource] of indexTemplate(template).ofType('AWS::CloudFormation::Stack')) {
      const nested = nestedTemplatePath(resource, directory, published, textOf, (path) => parents.has(resolve(path)));
      if (nested !== undefined) parents.set(resolve(nested), { file, logicalId });
    }
  }
  return parents;
}

type StackResource = { readonly Properties?: { readonly [key: string]: unknown }; readonly Metadata?: { readonly [key: string]: unknown } };

/**
 * The file of the template an AWS::CloudFormation::Stack deploys, when the assembly tells it: the published
 * file its TemplateURL names, whole. NestedStacks of one content share that one published file, though CDK
 * writes a file for each: each stack is given a file of that content of its own (the one its `aws:asset:path`
 * metadata names, else the first not `taken`). Without an asset manifest (the legacy synthesizer), the
 * metadata alone tells, for a TemplateURL CDK may have written.
 */
function nestedTemplatePath(
  resource: StackResource, directory: string, published: () => readonly PublishedFile[],
  textOf: (path: string) => string | undefined, taken: (path: string) => boolean,
): string | undefined {
  const templateUrl = resource.Properties?.TemplateURL;
  const assetPath = resource.Metadata?.['aws:asset:path'];
  const named = typeof assetPath === 'string' ? join(directory, assetPath) : undefined;
  if (published().length === 0) return named !== undefined && mayBeCdkTemplateUrl(templateUrl) ? named : undefined;
  // The whole URL, host and bucket too: a template of the same object key in another bucket is another template.
  const url = urlText(templateUrl);
  const deployed = published().find((asset) => url !== undefined && asset.urls.includes(url))?.path;
  if (deployed === undefined) return undefined;
  const sameContent = filesOfSameContent(deployed, textOf);
  if (named !== undefined) return sameContent.includes(named) ? named : undefined;
  return sameContent.find((path) => !taken(path));
}

/** `file` and the other nested templates beside it with the same text (`textOf` reads each file once). */
function filesOfSameContent(file: string, textOf: (path: string) => string | undefined): string[] {
  const text = textOf(file);
  if (text === undefined) return [file];
  const others = readdirSafely(dirname(file)).filter((name) => name.endsWith('.nested.template.json')).map((name) => join(dirname(file), name));
  return [file, ...others.filter((other) => other !== file && textOf(other) === text)];
}

/**
 * Whether a TemplateURL may be one CDK wrote, read when no asset manifest tells: CDK's name the region and
 * URL suffix by reference (`${AWS::URLSuffix}`) or parameters (the legacy synthesizer's `Fn::Select`); a
 * fixed URL (`https://s3.amazonaws.com/other/x.json`) is another template.
 */
export function mayBeCdkTemplateUrl(templateUrl: unknown): boolean {
  const url = urlText(templateUrl);
  return url === undefined || url.includes('${');
}

/** Whether `directory` holds an asset manifest, which links nested stack templates to their parents. */
export function hasAssetManifest(directory: string): boolean {
  return readdirSafely(directory).some((name) => name.endsWith('.assets.json'));
}

function readdirSafely(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A file asset of the assembly, and the URLs of the S3 objects it is published to, as `urlText` writes them. */
interface PublishedFile {
  readonly path: string;
  readonly urls: readonly string[];
}

// An asset manifest that cannot be read names no file: the nested template is then read without its parent, as before.
function publishedFiles(directory: string): PublishedFile[] {
  const names = readdirSafely(directory).filter((name) => name.endsWith('.assets.json'));
  return names.flatMap((name) => {
    const files = readJson(join(directory, name))?.files;
    return Object.values(isObject(files) ? files : {}).flatMap((asset) => publishedFile(directory, asset));
  });
}

function publishedFile(directory: string, asset: unknown): PublishedFile[] {
  const path = isObject(asset) && isObject(asset.source) ? asset.source.path : undefined;
  const destinations = isObject(asset) && isObject(asset.destinations) ? Object.values(asset.destinations) : [];
  if (typeof path !== 'string') return [];
  return [{ path: join(directory, path), urls: destinations.flatMap(publishedUrl) }];
}

// CDK's synthesizers give a file asset's location as `https://s3.<region>.<URLSuffix>/<bucket>/<key>`, the
// region the destination's (the stack's, written as AWS::Region when the stack is environment-agnostic).
function publishedUrl(destination: unknown): string[] {
  if (!isObject(destination) || typeof destination.bucketName !== 'string' || typeof destination.objectKey !== 'string') return [];
  const region = typeof destination.region === 'string' ? destination.region : '${AWS::Region}';
  return [`https://s3.${region}.\${AWS::URLSuffix}/${destination.bucketName}/${destination.objectKey}`];
}

function readJson(file: string): { readonly files?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(readText(file) ?? '');
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A TemplateURL in the forms CDK writes it (text, `Ref`, a `Fn::Sub` of text, a `Fn::Join` of those) as one
 * text, each `Ref` written `${Name}` as `Fn::Sub` writes it; undefined for any other form (`Fn::If`, an import),
 * which cannot be told to be the published template.
 */
function urlText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value) || Object.keys(value).length !== 1) return undefined;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  if (typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'];
  const joined = value['Fn::Join'];
  if (!Array.isArray(joined) || joined.length !== 2 || typeof joined[0] !== 'string' || !Array.isArray(joined[1])) return undefined;
  const parts = joined[1].map(urlText);
  return parts.every((part) => part !== undefined) ? parts.join(joined[0]) : undefined;
}
