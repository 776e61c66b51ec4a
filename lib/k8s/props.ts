import { SecureContainerOptions, SecureServiceSpec } from '../core';

/** One key of a Kubernetes Secret. */
export interface SecretKeyReference {
  /** The Secret's name, in the service's namespace. */
  readonly secretName: string;
  /** The key inside the Secret. */
  readonly key: string;
}

/** A host directory mounted into a container. Weakens NO_HOST_PATH_VOLUMES: needs an exemption. */
export interface HostPathMount {
  /** The directory on the node. */
  readonly hostPath: string;
  /** Where the container sees it. */
  readonly mountPath: string;
  /**
   * Whether the container may only read it.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** Pods (optionally in some namespaces) that may reach the service port. */
export interface NetworkPeer {
  /**
   * Labels of the pods that may connect.
   * @default - every pod (of the selected namespaces)
   */
  readonly podLabels?: { readonly [key: string]: string };
  /**
   * Labels of the namespaces those pods run in.
   * @default - the service's own namespace
   */
  readonly namespaceLabels?: { readonly [key: string]: string };
}

/** Kubernetes-only options of one container (the main one or a sidecar). */
export interface KubernetesContainerOpts {
  /**
   * Secrets, by environment variable name: rendered as `valueFrom.secretKeyRef` (the same injection
   * as ECS), or as read-only files named like the variable with `secretsAsFiles`.
   * @default - none
   */
  readonly secrets?: { readonly [name: string]: SecretKeyReference };
  /**
   * Mount secrets as read-only files under `secretsMountPath` instead of environment variables
   * (some scanners, e.g. monokle's KBP112, prefer files). Variables reading the same key of a Secret
   * each get their file.
   * @default false
   */
  readonly secretsAsFiles?: boolean;
  /**
   * Where secret files are mounted with `secretsAsFiles`: one file per secret, named like its key in `secrets`.
   * @default '/run/secrets'
   */
  readonly secretsMountPath?: string;
  /**
   * Writable paths (from `writablePaths`) whose content in the image is copied into their empty
   * volume by an init container before the container starts, so mounting the volume does not hide
   * what the image put there. The image must contain `cp`. The copy runs with every secure default,
   * whatever its container is exempted from, as the container's user, or the pod's non-root user when
   * the container runs as root. Its init container is named `copy-<container>-<path>`.
   * @default - none: writable paths start empty
   */
  readonly copyFromImage?: readonly string[];
  /**
   * Size limit of the empty volume of each writable path, in MiB.
   * @default 256
   */
  readonly writablePathSizeMiB?: number;
  /**
   * Also bind the container port on the node. Weakens NO_HOST_NAMESPACES: needs an exemption.
   * @default - no host port
   */
  readonly hostPort?: number;
  /**
   * Host directories mounted into the container. Weakens NO_HOST_PATH_VOLUMES: needs an exemption.
   * @default - none
   */
  readonly hostPathMounts?: readonly HostPathMount[];
}

/** A sidecar: a container of the same service, hardened the same way, with its own exemptions. */
export interface SecureContainerProps extends SecureContainerOptions, KubernetesContainerOpts {
  /** The image, e.g. `ghcr.io/acme/log-router:2.1.0`; a digest is better. */
  readonly image: string;
}

/** Kubernetes-only options of the service. */
export interface SecureServiceOpts {
  /**
   * The name of every object (Deployment, Service, ServiceAccount, NetworkPolicy, PodDisruptionBudget)
   * and of the main container, and the value of the `app.kubernetes.io/name` selector label.
   * A DNS-1123 label; with `containerPort` (a Service is created) also a DNS-1035 label: it starts with a letter.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels added to every object and to the pods (they cannot set `app.kubernetes.io/name`, the selector).
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
  /**
   * Who may reach the service port. Every other ingress is denied by the NetworkPolicy. An empty list
   * is rejected: Kubernetes reads a NetworkPolicy rule with no peers as admitting every source.
   * @default - any peer, on the service port only
   */
  readonly allowFrom?: readonly NetworkPeer[];
  /**
   * The port of the Service.
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Share the node's network namespace. Weakens NO_HOST_NAMESPACES: needs an exemption.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Share the node's process namespace. Weakens NO_HOST_NAMESPACES: needs an exemption.
   * @default false
   */
  readonly hostPID?: boolean;
  /**
   * Share the node's IPC namespace. Weakens NO_HOST_NAMESPACES: needs an exemption.
   * @default false
   */
  readonly hostIPC?: boolean;
  /**
   * Mount a Kubernetes API token into the pods. Weakens NO_SERVICE_ACCOUNT_TOKEN: needs an exemption.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/**
 * Props of `k8s.SecureService`: the shared service definition (`SecureServiceSpec`, the same object
 * as for ECS) plus what only Kubernetes has.
 */
export interface SecureServiceProps extends SecureServiceSpec, KubernetesContainerOpts, SecureServiceOpts {
  /** The image, e.g. `ghcr.io/acme/api:1.4.2`; a digest is better. */
  readonly image: string;
}

/** The size limit of a writable path's empty volume when none is given, in MiB. */
export const DEFAULT_WRITABLE_PATH_SIZE_MIB = 256;

/** Where secret files go with `secretsAsFiles` when no path is given. */
export const DEFAULT_SECRETS_MOUNT_PATH = '/run/secrets';
