import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aws_ecs as ecs } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { service } from './fixtures';

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
  expect(warnings[0].entry.data).toMatch(/container 'app': .*Dockerfile: .*the task runs it as 65532:65532, but the image runs as root anywhere else .* end the Dockerfile with USER 65532:65532/);
});

test('a Dockerfile named in the asset options is the one read', () => {
  expect(dockerfileWarnings(assetImage('FROM alpine:3.20\n', 'Containerfile'))).toHaveLength(1);
});

test('a numeric non-root USER, or a registry image, does not warn', () => {
  expect(dockerfileWarnings(assetImage('FROM gcr.io/distroless/static\nUSER 65532:65532\n'))).toEqual([]);
  expect(dockerfileWarnings(ecs.ContainerImage.fromRegistry('ghcr.io/acme/api:1.4.2'))).toEqual([]);
});
