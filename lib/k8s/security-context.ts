/**
 * Security contexts, and THE one place that closes cdk8s-plus-27's gaps. cdk8s-plus-27 2.9.5 cannot
 * express a seccomp profile or `drop: ["ALL"]`, and its `Capability` enum renders
 * `CAP_NET_BIND_SERVICE`, a name both Pod Security Standards levels reject (their allow-lists use
 * `NET_BIND_SERVICE`). So capabilities and seccomp never go through cdk8s-plus: they are written
 * into the rendered L1 by JSON patches, with the bare names Kubernetes expects.
 *
 * Patches on cdk8s-plus L1 objects address the TypeScript-cased props (they are applied before the
 * L1 converts its props to JSON); every key patched here is spelled the same in both.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NumericUser, nonRootUser } from '../core';


/** The container settings a security context is rendered from (every one defaults to secure). */
export interface ContainerHardening {
  readonly readOnlyRootFilesystem?: boolean;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
}

/** Capabilities as Kubernetes reads them: always drop ALL, add only what is asked (bare names). */
export interface RenderedCapabilities {
  readonly drop: string[];
  readonly add?: string[];
}

/**
 * Pod security context: non-root, numeric user and group, fsGroup (so volumes are writable by the
 * group). A uid of 0 cannot be combined with runAsNonRoot true (the kubelet would refuse to start),
 * so it renders false there: the RUN_AS_NON_ROOT rule then asks for an exemption. SecureService passes
 * a user that is never root (`nonRootUser`) and sets root only on the container that asked for it.
 */
export function podSecurityContext(user: NumericUser): kplus.PodSecurityContextProps {
  return { ensureNonRoot: user.uid !== 0, user: user.uid, group: user.gid, fsGroup: user.gid };
}

// The pod level and the init containers that seed volumes run as the main container's user made non-root
// (core's nonRootUser): one container's exempted root user must not become every container's, since
// Kubernetes applies the pod level to each of them.
export type { NumericUser };
export { nonRootUser };

/** Container security context, without capabilities (see `closeContainerGaps`). */
export function containerSecurityContext(user: NumericUser, hardening: ContainerHardening): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: user.uid !== 0,
    user: user.uid,
    group: user.gid,
    readOnlyRootFilesystem: hardening.readOnlyRootFilesystem ?? true,
    privileged: hardening.privileged ?? false,
    allowPrivilegeEscalation: hardening.allowPrivilegeEscalation ?? false,
  };
}

/** `drop: ["ALL"]`, plus `add` with the names as given (validated without the CAP_ prefix). */
export function renderCapabilities(add: readonly string[] = []): RenderedCapabilities {
  return add.length > 0 ? { drop: ['ALL'], add: [...add] } : { drop: ['ALL'] };
}

/** A seccomp profile as Kubernetes reads it. */
export function renderSeccompProfile(type: 'RuntimeDefault' | 'Unconfined' = 'RuntimeDefault'): { type: string } {
  return { type };
}

/** Where a container is in a pod-bearing L1: `/spec/template/spec` and its list and index. */
export interface ContainerLocation {
  readonly podSpecPath: string;
  readonly init: boolean;
  readonly index: number;
}

/**
 * Writes the pod-level seccomp profile, always RuntimeDefault, into the rendered pod security context.
 * A container exempted to run Unconfined gets that profile on its own security context: at the pod
 * level it would apply to every container, and each would need the exemption.
 */
export function closePodGaps(apiObject: ApiObject, podSpecPath: string): void {
  apiObject.addJsonPatch(JsonPatch.add(`${podSpecPath}/securityContext/seccompProfile`, renderSeccompProfile()));
}

/**
 * Writes capabilities (drop ALL, add bare names) and, when it differs from the pod's, a
 * container-level seccomp profile into the rendered container security context.
 */
export function closeContainerGaps(
  apiObject: ApiObject,
  location: ContainerLocation,
  add: readonly string[] | undefined,
  seccomp?: 'RuntimeDefault' | 'Unconfined',
): void {
  const path = `${location.podSpecPath}/${location.init ? 'initContainers' : 'containers'}/${location.index}/securityContext`;
  apiObject.addJsonPatch(JsonPatch.add(`${path}/capabilities`, renderCapabilities(add)));
  if (seccomp !== undefined) {
    apiObject.addJsonPatch(JsonPatch.add(`${path}/seccompProfile`, renderSeccompProfile(seccomp)));
  }
}
