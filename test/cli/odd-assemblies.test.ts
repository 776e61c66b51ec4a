// A cloud assembly's manifests of another shape (hand-edited, truncated, another tool's) give no
// environment and no file assets: the templates are still read, and nothing crashes.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stackEnvironment } from '../../lib/cli/stack-environment';
import { fileAssetsBeside } from '../../lib/ecs/file-assets';

function assembly(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'secure-service-odd-assembly-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

describe('manifests of another shape', () => {
  test.each([
    ['null', 'null'],
    ['an artifact that is null', '{"artifacts":{"Shop":null}}'],
    ['an artifact without properties', '{"artifacts":{"Shop":{"type":"aws:cloudformation:stack"}}}'],
  ])('manifest.json that is %s: no stack environment', (_, manifest) => {
    const directory = assembly({ 'manifest.json': manifest });
    expect(stackEnvironment(join(directory, 'Shop.template.json'))).toEqual({});
  });

  test.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['an asset that is null', '{"files":{"a":null}}'],
    ['a destination that is null', '{"files":{"a":{"source":{"path":"asset.a.env"},"destinations":{"d":null}}}}'],
    ['a destination without a bucket', '{"files":{"a":{"source":{"path":"asset.a.env"},"destinations":{"d":{"objectKey":"a.env"}}}}}'],
  ])('an assets manifest that is %s: no file asset', (_, manifest) => {
    const directory = assembly({ 'Shop.assets.json': manifest, 'asset.a.env': 'LOG_LEVEL=info\n' });
    expect(fileAssetsBeside(join(directory, 'Shop.template.json'))('arn:aws:s3:::bucket/a.env')).toBeUndefined();
  });

  test('a well-formed one gives the file of the S3 location it names, and nothing for another bucket', () => {
    const manifest = { files: { a: { source: { path: 'asset.a.env', packaging: 'file' }, destinations: { d: { bucketName: 'cdk-assets-${AWS::AccountId}-${AWS::Region}', objectKey: 'a.env' } } } } };
    const directory = assembly({ 'Shop.assets.json': JSON.stringify(manifest), 'asset.a.env': 'LOG_LEVEL=info\n' });
    const read = fileAssetsBeside(join(directory, 'Shop.template.json'));
    expect(read('arn:${AWS::Partition}:s3:::cdk-assets-${AWS::AccountId}-${AWS::Region}/a.env')).toBe('LOG_LEVEL=info\n');
    expect(read('arn:aws:s3:::cdk-assets-123456789012-eu-west-1/a.env')).toBe('LOG_LEVEL=info\n');
    expect(read('arn:aws:s3:::other-bucket/a.env')).toBeUndefined();
  });
});
