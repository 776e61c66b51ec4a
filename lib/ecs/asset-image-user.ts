import { readFileSync } from 'fs';
import { join } from 'path';
import { aws_ecs as ecs } from 'aws-cdk-lib';
import { dockerfileUserProblem, dockerfileVolumes } from '../core';

/** The Dockerfile an image is built from (`ContainerImage.fromAsset`): its path and text; undefined for other images. */
function assetDockerfile(image: ecs.ContainerImage): { path: string; text: string } | undefined {
  if (!(image instanceof ecs.AssetImage)) return undefined;
  // AssetImage keeps its directory and options private; they are the only way to find the Dockerfile.
  const { directory, props } = image as unknown as { directory: string; props?: { file?: string } };
  const path = join(directory, props?.file ?? 'Dockerfile');
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch {
    return undefined; // the asset build reports a missing Dockerfile itself
  }
}

/**
 * For an image built from a local Dockerfile, why the Dockerfile's final USER is not a numeric non-root
 * user; undefined for other images or a good USER.
 */
export function assetImageUserProblem(image: ecs.ContainerImage): { dockerfile: string; problem: string } | undefined {
  const dockerfile = assetDockerfile(image);
  const problem = dockerfile && dockerfileUserProblem(dockerfile.text);
  return dockerfile && problem ? { dockerfile: dockerfile.path, problem } : undefined;
}

/**
 * For an image built from a local Dockerfile, the `paths` its final stage does not declare as a VOLUME
 * (with the Dockerfile's path); undefined for other images. A base image's VOLUMEs are not read.
 */
export function assetImageUndeclaredVolumes(
  image: ecs.ContainerImage, paths: readonly string[],
): { dockerfile: string; paths: string[] } | undefined {
  const dockerfile = assetDockerfile(image);
  if (!dockerfile) return undefined;
  const declared = dockerfileVolumes(dockerfile.text);
  return { dockerfile: dockerfile.path, paths: paths.filter((path) => !declared.includes(path)) };
}
