/**
 * Settings Fargate cannot run. CloudFormation and CDK accept them and the deployment (or the task)
 * fails later; we reject them at synth. This is platform validity, not a security control: nothing
 * can exempt it. A pure function over template JSON, like the posture reader.
 */
import {
  AppIndex, CfnTemplate, Json, TemplateScope, asArray, at, isObject, indexTemplate, literalBoolean, resolveList, singleTemplateApp,
} from './template-values';

/** The one capability Fargate lets a container add. */
export const FARGATE_ADDABLE_CAPABILITY = 'SYS_PTRACE';

/** Linux parameters Fargate does not support, and what to do instead. */
const UNSUPPORTED_LINUX_PARAMETERS: readonly { readonly key: string; readonly why: string }[] = [
  { key: 'Tmpfs', why: 'use writablePaths, which become task storage volumes' },
  { key: 'Devices', why: 'Fargate exposes no host devices' },
  { key: 'SharedMemorySize', why: 'Fargate has no shared memory setting' },
  { key: 'MaxSwap', why: 'Fargate has no swap' },
  { key: 'Swappiness', why: 'Fargate has no swap' },
];

/** One setting of a Fargate task definition that Fargate cannot run. */
export interface FargateProblem {
  readonly logicalId: string;
  readonly at: string;
  readonly message: string;
}

/** Whether a task definition must run on Fargate. */
export function requiresFargate(properties: Json | undefined): boolean {
  return asArray(properties?.RequiresCompatibilities).includes('FARGATE');
}

/** Every setting Fargate cannot run, in every Fargate task definition of the template (an `indexTemplate` index is used as it is). */
export function fargateProblems(template: CfnTemplate): FargateProblem[] {
  const app = singleTemplateApp(indexTemplate(template));
  return app.scopes[0].template.ofType('AWS::ECS::TaskDefinition')
    .filter(([, r]) => requiresFargate(r.Properties))
    .flatMap(([logicalId, r]) => taskProblems(app, app.scopes[0], logicalId, r.Properties ?? {}));
}

function taskProblems(app: AppIndex, scope: TemplateScope, logicalId: string, props: Json): FargateProblem[] {
  const problems: FargateProblem[] = [];
  const add = (path: string, message: string) => problems.push({ logicalId, at: path, message });

  if (props.IpcMode !== undefined) add(at(logicalId, 'Properties', 'IpcMode'), `IpcMode ${JSON.stringify(props.IpcMode)} is not supported on Fargate; remove it`);
  if (props.PidMode !== undefined && props.PidMode !== 'task') add(at(logicalId, 'Properties', 'PidMode'), `PidMode ${JSON.stringify(props.PidMode)} is not supported on Fargate (only "task"); remove it`);
  asArray(props.Volumes).forEach((volume, i) => {
    if (isObject(volume) && isObject(volume.Host) && volume.Host.SourcePath !== undefined) {
      add(at(logicalId, 'Properties', 'Volumes', i, 'Host', 'SourcePath'), `volume ${JSON.stringify(volume.Name)} is a host path, which Fargate does not have; use writablePaths (task storage) or EFS`);
    }
    if (isObject(volume) && volume.DockerVolumeConfiguration !== undefined) {
      add(at(logicalId, 'Properties', 'Volumes', i, 'DockerVolumeConfiguration'), `volume ${JSON.stringify(volume.Name)} is a Docker volume, which Fargate does not support; use writablePaths (task storage) or EFS`);
    }
  });
  asArray(props.ContainerDefinitions).forEach((container, i) => {
    if (!isObject(container)) return;
    const path = at(logicalId, 'Properties', 'ContainerDefinitions', i);
    const name = JSON.stringify(container.Name);
    const linux = isObject(container.LinuxParameters) ? container.LinuxParameters : {};
    const capabilities = isObject(linux.Capabilities) ? linux.Capabilities : {};
    const privileged = literalBoolean(container.Privileged);
    if (privileged === true || (privileged === undefined && container.Privileged !== undefined)) {
      add(`${path}.Privileged`, `container ${name} is privileged, which Fargate does not support; remove privileged, or run on EC2 with an exemption of NOT_PRIVILEGED`);
    }
    // Only names the template tells are certain to fail here; one only known at deploy time (`${...}`, or the
    // whole list) may be SYS_PTRACE, and DROP_ALL_CAPABILITIES reports it as an addition either way.
    const added = resolveList(app, scope, capabilities.Add) ?? [];
    added.filter((cap) => cap !== FARGATE_ADDABLE_CAPABILITY && !cap.includes('${')).forEach((cap) => {
      add(`${path}.LinuxParameters.Capabilities.Add`, `container ${name} adds capability ${JSON.stringify(cap)}, but Fargate lets a container add only ${FARGATE_ADDABLE_CAPABILITY}; remove it`);
    });
    for (const { key, why } of UNSUPPORTED_LINUX_PARAMETERS) {
      if (linux[key] !== undefined) add(`${path}.LinuxParameters.${key}`, `container ${name} sets LinuxParameters.${key}, which Fargate does not support (${why}); remove it`);
    }
    if (container.DockerSecurityOptions !== undefined) {
      add(`${path}.DockerSecurityOptions`, `container ${name} sets DockerSecurityOptions, which Fargate does not support; remove them (Fargate applies the default seccomp profile, and dropping ALL capabilities stops privilege escalation)`);
    }
  });
  return problems;
}
