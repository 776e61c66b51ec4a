import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aws_ec2 as ec2, aws_ecs as ecs } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { API, fixture, service } from './fixtures';
import { SecureLaunchType, SecureService } from '../../lib/ecs';

function assetImage(dockerfile: string, file?: string): ecs.ContainerImage {
  const dir = mkdtempSync(join(tmpdir(), 'secure-service-asset-'));
  writeFileSync(join(dir, file ?? 'Dockerfile'), dockerfile);
  return ecs.ContainerImage.fromAsset(dir, { file });
}

function dockerfileWarnings(image: ecs.ContainerImage) {
  // GIVEN a service whose image is built from a local Dockerfile
  const { stack } = service({ image });
  // THEN
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('secure-service:dockerfile-user'));
}

test.each([
  ['FROM alpine:3.20\n', 'the final stage has no USER instruction, so the image runs as root'],
  ['FROM alpine:3.20\nUSER 0\n', 'USER 0 is root'],
  ['FROM nginx:1.27\nUSER nginx\n', 'USER nginx is a name, not a numeric uid'],
])('an asset image whose Dockerfile says %j warns', (dockerfile, problem) => {
  const warnings = dockerfileWarnings(assetImage(dockerfile));
  expect(warnings).toHaveLength(1);
  expect(warnings[0].entry.data).toContain(problem);
  expect(warnings[0].entry.data).toMatch(/container 'app': .*Dockerfile: .*the task runs it as 65532:65532, but anywhere else the image runs as that says, .* end the Dockerfile with USER 65532:65532/);
});

test('a Dockerfile named in the asset options is the one read', () => {
  expect(dockerfileWarnings(assetImage('FROM alpine:3.20\n', 'Containerfile'))).toHaveLength(1);
});

test('a numeric non-root USER, or a registry image, does not warn', () => {
  expect(dockerfileWarnings(assetImage('FROM gcr.io/distroless/static\nUSER 65532:65532\n'))).toEqual([]);
  expect(dockerfileWarnings(ecs.ContainerImage.fromRegistry('ghcr.io/acme/api:1.4.2'))).toEqual([]);
});

describe('writable paths the Dockerfile does not declare as a VOLUME (Fargate starts such a volume owned by root, mode 0755)', () => {
  function volumeWarnings(dockerfile: string, writablePaths: string[], onEc2 = false) {
    const f = fixture();
    if (onEc2) f.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    const launchType = onEc2 ? SecureLaunchType.EC2 : SecureLaunchType.FARGATE;
    new SecureService(f.stack, 'Api', { ...API, cluster: f.cluster, image: assetImage(dockerfile), writablePaths, launchType });
    const stack = f.stack;
    return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('secure-service:writable-path-volume')).map((w) => w.entry.data);
  }

  test('warn, naming the paths, the user and the Dockerfile lines that fix it', () => {
    const warnings = volumeWarnings('FROM alpine:3.20\nUSER 65532:65532\nVOLUME ["/tmp"]\n', ['/tmp', '/app/.cache']);
    expect(warnings).toEqual([expect.stringMatching(
      /^container 'app': \S+Dockerfile does not declare \/app\/\.cache as a VOLUME: on Fargate such a task volume starts empty, owned by root with mode 0755, so user 65532:65532 cannot write to it; in the Dockerfile, RUN mkdir -p \/app\/\.cache && chown 65532:65532 \/app\/\.cache and VOLUME \["\/app\/\.cache"\]/,
    )]);
  });

  test.each([
    ['VOLUME /tmp /app/.cache/', ['/tmp', '/app/.cache']],
    ['VOLUME ["/var/cache/nginx", "/tmp"]', ['/tmp', '/var/cache/nginx']],
  ])('nothing when the final stage declares them: %s', (volume, paths) => {
    expect(volumeWarnings(`FROM alpine:3.20 AS build\nVOLUME /unrelated\nFROM alpine:3.20\nUSER 65532:65532\n${volume}\n`, paths)).toEqual([]);
  });

  test('a VOLUME of an earlier stage does not count', () => {
    expect(volumeWarnings('FROM alpine:3.20 AS build\nVOLUME /tmp\nFROM alpine:3.20\nUSER 65532:65532\n', ['/tmp'])).toHaveLength(1);
  });

  test('nothing on EC2: the warning is about Fargate\'s task volumes', () => {
    expect(volumeWarnings('FROM alpine:3.20\nUSER 65532:65532\n', ['/tmp'], true)).toEqual([]);
  });

  test('nothing for a registry image, which cannot be read here', () => {
    const { stack } = service({ image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/api:1.4.2'), writablePaths: ['/tmp'] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('secure-service:writable-path-volume'))).toEqual([]);
  });
});
