// Environment files: CDK stages an `EnvironmentFile.fromAsset` file in the cloud assembly, where the
// check reads it and judges its variables one by one; a file only in S3 has variables no template shows.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aws, Fn, aws_ecs as ecs } from 'aws-cdk-lib';
import { service, synthError } from './fixtures';

/** A service whose app container loads `content` as an environment file asset (or, with `bucket`, a same-named object of that bucket). */
function withEnvironmentFile(content: string, bucket?: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-file-')), 'app.env');
  fs.writeFileSync(file, content);
  const b = service();
  const { s3Location } = ecs.EnvironmentFile.fromAsset(file).bind(b.stack);
  const arn = Fn.join('', ['arn:', Aws.PARTITION, ':s3:::', bucket ?? s3Location.bucketName, '/', s3Location.objectKey]);
  (b.svc.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.EnvironmentFiles', [{ Type: 's3', Value: arn }]);
  return b;
}

describe('environment files', () => {
  test('an asset of configuration only passes: its variables are read from the assembly', () => {
    expect(synthError(withEnvironmentFile('# settings\nLOG_LEVEL=info\n\nFEATURE_X=on\n').stack)).toBe('');
  });

  test('a secret-like name in an asset fails, naming the file and the line', () => {
    expect(synthError(withEnvironmentFile('LOG_LEVEL=info\nDB_PASSWORD=hunter2\n').stack)).toMatch(
      /container 'app': environment variable DB_PASSWORD looks like a secret but comes from the environment file "arn:[^"]+\.env", which is plain text, not a secret store at Resources\.\w+\.Properties\.ContainerDefinitions\[0\]\.EnvironmentFiles\[0\] \(line 2\)/);
  });

  test('a password in a value fails whatever the name', () => {
    expect(synthError(withEnvironmentFile('DATABASE=postgres://app:hunter2@db:5432/app\n').stack)).toMatch(/DATABASE[^]*holds a password in plain text \(postgres:\/\/app:\*\*\*\*@db:5432\/app\)/);
  });

  test('the same object key in another bucket is not the asset: its variables stay unknown', () => {
    expect(synthError(withEnvironmentFile('LOG_LEVEL=info\n', 'attacker-bucket').stack)).toMatch(
      /every variable of the environment file "arn:[^"]*:s3:::attacker-bucket\/[^"]+\.env" is a plain environment variable whose name and value are unknown/);
  });
});
