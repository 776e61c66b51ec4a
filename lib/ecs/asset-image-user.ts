import { readFileSync } from 'fs';
import { join } from 'path';
import { aws_ecs as ecs } from 'aws-cdk-lib';
import { dockerfileUserProblem } from '../core';

/**
 * For an image built from a local Dockerfile (`ContainerImage.fromAsset`), why the Dockerfile's final
 * USER is not a numeric non-root user; undefined for other images or a good USER.
 */
export function assetImageUserProblem(image: ecs.ContainerImage): { dockerfile: string; problem: string } | undefined {
  if (!(image instanceof ecs.AssetImage)) return undefined;
  // AssetImage keeps its directory and options private; they are the only way to find the Dockerfile.
  const { directory, props } = image as unknown as { directory: string; props?: { file?: string } };
  const dockerfile = join(directory, props?.file ?? 'Dockerfile');
  let text: string;
  try {
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    return undefined; // the asset build reports a missing Dockerfile itself
  }
  const problem = dockerfileUserProblem(text);
  return problem ? { dockerfile, problem } : undefined;
}
