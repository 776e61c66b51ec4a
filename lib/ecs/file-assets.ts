/**
 * The file assets a cloud assembly holds beside a template, by the S3 object each deploys to. An
 * environment file added with `EnvironmentFile.fromAsset` is staged there by CDK, so its variables can
 * be judged by name and value rather than as unknown. Only a file whose S3 location the assets manifest
 * names is read: a template pointing at another bucket gets nothing, and its file stays unknown.
 */
import * as fs from 'fs';
import { dirname, join } from 'path';

/** A file asset: the S3 objects it deploys to, and the file in the assembly. */
interface FileAsset {
  readonly locations: readonly RegExp[];
  readonly sourcePath: string;
}

/** Reads the text of the file asset that deploys to an S3 ARN (as the reader resolves it), if the assembly of `templatePath` holds it. */
export function fileAssetsBeside(templatePath: string): (s3Arn: string) => string | undefined {
  let assets: FileAsset[] | undefined;
  return (s3Arn) => {
    // Read when a template first names an environment file: most assemblies have none.
    assets ??= readAssetManifests(dirname(templatePath));
    const asset = assets.find((a) => a.locations.some((location) => location.test(s3Arn)));
    if (!asset || !fs.existsSync(asset.sourcePath) || !fs.statSync(asset.sourcePath).isFile()) return undefined;
    return fs.readFileSync(asset.sourcePath, 'utf-8');
  };
}

// A manifest that cannot be read names no asset: its files stay unknown, which is the safe side.
function readAssetManifests(directory: string): FileAsset[] {
  const files = fs.existsSync(directory) ? fs.readdirSync(directory).filter((file) => file.endsWith('.assets.json')) : [];
  return files.flatMap((file) => {
    const manifest = readJson(join(directory, file));
    return Object.values(manifest?.files ?? {}).flatMap((asset): FileAsset[] => {
      // A directory is zipped: no environment file.
      if (asset?.source?.packaging === 'zip' || typeof asset?.source?.path !== 'string') return [];
      const locations = Object.values(asset.destinations ?? {}).flatMap((d) => (
        typeof d?.bucketName === 'string' && typeof d.objectKey === 'string' ? [s3Location(d.bucketName, d.objectKey)] : []));
      return [{ locations, sourcePath: join(directory, asset.source.path) }];
    });
  });
}

function readJson(file: string): AssetManifest | null | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8')) as AssetManifest;
  } catch {
    return undefined;
  }
}

/** The parts of a CDK asset manifest read here; any of them may be missing or null in a hand-edited one. */
interface AssetManifest {
  readonly files?: {
    readonly [id: string]: {
      readonly source?: { readonly path?: unknown; readonly packaging?: unknown } | null;
      readonly destinations?: { readonly [id: string]: { readonly bucketName?: unknown; readonly objectKey?: unknown } | null } | null;
    } | null;
  } | null;
}

// The manifest writes the bucket with `${AWS::AccountId}` and `${AWS::Region}` for deployment to fill
// in; the template's ARN has them as the reader resolves them, known values or the same placeholders.
function s3Location(bucket: string, objectKey: string): RegExp {
  const placeholder = '(?:\\$\\{AWS::\\w+\\}|[^/:]+)';
  const bucketPattern = bucket.split(/\$\{AWS::\w+\}/).map(escape).join(placeholder);
  return new RegExp(`^arn:(?:\\$\\{AWS::Partition\\}|[^:]+):s3:::${bucketPattern}/${escape(objectKey)}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
