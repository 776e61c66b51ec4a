/**
 * Generators of random VALID service definitions for the property-based suite. A definition is
 * target-neutral (the shared props, spread into either target) plus what only one target has; the
 * builders in properties.test.ts turn it into an ecs.SecureService and a k8s.SecureService.
 *
 * Valid means: every input a user may legitimately write, and nothing that weakens a control (so
 * every third-party checker must pass it too). Users are above 10000 because monokle's practices
 * rules KBP104/KBP105 (run with every rule on) want uid and gid > 10000; 65532, our default, is.
 */
import * as fc from 'fast-check';
import { CONTROL_CATALOG, ControlId, Exemption, SecurityPolicyProps, SecureContainerOptions, SecureServiceSpec, looksLikeSecretName } from '../../lib/core';

/** The day every generated app judges exemptions on. */
export const TODAY = '2026-06-01';

/** A secret as both targets can take it: a Secrets Manager secret / Kubernetes Secret name and a key in it. */
export interface SecretRef {
  readonly secretName: string;
  readonly key: string;
}

/** One container's shared options plus its image and secrets. */
export interface ContainerDefinition extends SecureContainerOptions {
  readonly image: string;
  readonly secrets: { readonly [name: string]: SecretRef };
}

export interface SidecarDefinition {
  readonly name: string;
  readonly options: ContainerDefinition;
  /** ECS: whether the task stops when the sidecar stops. */
  readonly essential: boolean;
}

/** A whole service: the shared spec, sidecars, the policy in force and each target's own extras. */
export interface ServiceDefinition {
  readonly spec: SecureServiceSpec & ContainerDefinition;
  readonly sidecars: readonly SidecarDefinition[];
  readonly policy?: SecurityPolicyProps;
  readonly ecs: { readonly enableExecuteCommand: boolean };
  readonly k8s: { readonly secretsAsFiles: boolean; readonly writablePathSizeMiB?: number; readonly copyFromImage: readonly string[] };
}

// ---------------------------------------------------------------------------------------------
// images

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const word = (min: number, max: number) => fc.string({ unit: lower, minLength: min, maxLength: max });

const registry = fc.oneof(
  fc.constantFrom('ghcr.io', 'quay.io', 'registry.k8s.io', 'public.ecr.aws', 'docker.io', 'registry.example.com:5000'),
  fc.tuple(fc.integer({ min: 100000000000, max: 999999999999 }), fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2'))
    .map(([account, region]) => `${account}.dkr.ecr.${region}.amazonaws.com`),
);
const repository = fc.array(fc.tuple(word(1, 8), fc.constantFrom('', '-', '_', '.'), word(1, 6)).map(([a, sep, b]) => `${a}${sep}${b}`), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));
/** Version tags only: `latest` and no tag are unpinned (a warning here, a failure for monokle's practices). */
const tag = fc.oneof(
  fc.tuple(fc.nat(20), fc.nat(40), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(fc.nat(9), word(1, 6)).map(([a, b]) => `v${a}-${b}`),
);
const digest = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }).map((hex) => `sha256:${hex}`);

/** `[registry/]repository:tag`, `...@sha256:...` or both. */
export const image: fc.Arbitrary<string> = fc.record({
  registry: fc.option(registry, { nil: undefined }),
  repository,
  pin: fc.oneof(tag.map((t) => `:${t}`), digest.map((d) => `@${d}`), fc.tuple(tag, digest).map(([t, d]) => `:${t}@${d}`)),
}).map(({ registry: host, repository: repo, pin }) => `${host ? `${host}/` : ''}${repo}${pin}`);

// ---------------------------------------------------------------------------------------------
// environment, secrets, paths

const envName = fc.tuple(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'.split('')),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'.split('')), maxLength: 20 }),
).map(([first, rest]) => `${first}${rest}`);
/** Names that say nothing about secrets (AUTHOR, PASSTHROUGH and such still pass). */
const harmlessEnvName = envName.filter((name) => !looksLikeSecretName(name));
const secretEnvName = fc.oneof(envName, fc.constantFrom('DB_PASSWORD', 'API_KEY', 'GITHUB_TOKEN', 'STRIPE_SECRET'));

const dnsLabel = fc.tuple(word(1, 1), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), maxLength: 20 }), word(1, 1))
  .map(([a, mid, b]) => `${a}${mid}${b}`);
const secretRef: fc.Arbitrary<SecretRef> = fc.record({
  secretName: fc.array(dnsLabel, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('.')),
  key: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'.split('')), minLength: 1, maxLength: 20 })
    .filter((key) => key !== '.' && key !== '..'),
});

/** One path segment; '.', '-' and '_' make paths such as /a-b and /a.b that read alike once made into names. */
const segment = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), minLength: 1, maxLength: 12 })
  .filter((s) => s !== '.' && s !== '..');
const absolutePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);

/** Absolute, normalised, unique paths, none inside another. */
export const writablePaths: fc.Arbitrary<string[]> = fc.uniqueArray(absolutePath, { maxLength: 4 })
  .map((paths) => paths.filter((p) => !paths.some((other) => other !== p && p.startsWith(`${other}/`))));

// ---------------------------------------------------------------------------------------------
// sizes: what Fargate offers for the whole task, split over its containers

/** Fargate task sizes (Linux) in CPU units and MiB, as lib/ecs/fargate-sizes.ts lists them. */
const FARGATE_TASK_SIZES: readonly [number, readonly number[]][] = [
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  [2048, [4096, 6144, 8192, 12288, 16384]],
  [4096, [8192, 16384, 30720]],
  [8192, [16384, 32768, 61440]],
  [16384, [32768, 65536, 122880]],
];
const taskSize = fc.constantFrom(...FARGATE_TASK_SIZES).chain(([cpu, memories]) => fc.constantFrom(...memories).map((memory) => ({ cpu, memory })));

/** Splits `total` into `parts` whole numbers, each a multiple of `unit` and at least `unit`. */
function split(total: number, parts: number, unit: number): fc.Arbitrary<number[]> {
  const units = total / unit;
  return fc.array(fc.integer({ min: 1, max: units - 1 }), { minLength: parts - 1, maxLength: parts - 1 }).map((cuts) => {
    const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), units];
    const sizes = points.slice(1).map((p, i) => (p - points[i]) * unit);
    // Repeated cuts merge parts: give the missing parts a unit from the largest.
    while (sizes.length < parts) {
      const largest = sizes.indexOf(Math.max(...sizes));
      sizes[largest] -= unit;
      sizes.push(unit);
    }
    return sizes;
  });
}

/** cpu (vCPU) and memoryMiB per container, summing to a size Fargate offers. */
export function containerSizes(containers: number): fc.Arbitrary<{ cpu: number; memoryMiB: number }[]> {
  return taskSize.chain(({ cpu, memory }) => fc.tuple(split(cpu, containers, 64), split(memory, containers, 32)))
    .map(([cpus, memories]) => cpus.map((units, i) => ({ cpu: units / 1024, memoryMiB: memories[i] })));
}

// ---------------------------------------------------------------------------------------------
// containers and services

/** Above 10000 for monokle's KBP104/KBP105; below 2^31-1, the largest id Linux and Kubernetes take. */
const id = fc.integer({ min: 10001, max: 2 ** 31 - 2 });
const user = fc.record({ uid: id, gid: fc.option(id, { nil: undefined }) })
  .map(({ uid, gid }) => (gid === undefined ? { uid } : { uid, gid }));

const command = fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 });

interface Shared {
  readonly envNames: string[];
  readonly secretNames: string[];
}

/** `withPath`: a health check by path (a load balancer's, on ECS), which only the main container may have on both targets. */
function containerOptions(
  size: { cpu: number; memoryMiB: number }, port: number | undefined, names: Shared, withPath: boolean,
): fc.Arbitrary<ContainerDefinition> {
  return fc.record({
    image,
    writablePaths,
    environment: fc.tuple(...names.envNames.map(() => fc.string({ maxLength: 30 }))),
    secrets: fc.tuple(...names.secretNames.map(() => secretRef)),
    user: fc.option(user, { nil: undefined }),
    command: fc.option(command, { nil: undefined }),
    healthCheck: fc.option(port !== undefined && withPath
      ? fc.oneof(fc.constantFrom('/healthz', '/ready', '/').map((path) => ({ path })), command.map((c) => ({ command: c })))
      : command.map((c) => ({ command: c })), { nil: undefined }),
    explicitDefaults: fc.boolean(),
  }).map(({ environment, secrets, explicitDefaults, ...rest }): ContainerDefinition => ({
    ...rest,
    ...size,
    containerPort: port,
    environment: Object.fromEntries(names.envNames.map((n, i) => [n, environment[i]])),
    secrets: Object.fromEntries(names.secretNames.map((n, i) => [n, secrets[i]])),
    // Spelling out the secure defaults must change nothing.
    ...(explicitDefaults ? { readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false, seccompProfile: 'RuntimeDefault', capabilities: { add: [] } } : {}),
  }));
}

/** Names of plain variables and secrets for one container: disjoint, as both targets require. */
const names: fc.Arbitrary<Shared> = fc.tuple(fc.uniqueArray(harmlessEnvName, { maxLength: 4 }), fc.uniqueArray(secretEnvName, { maxLength: 3 }))
  .map(([envNames, secretNames]) => ({ envNames, secretNames: secretNames.filter((s) => !envNames.includes(s)) }));

const port = fc.integer({ min: 1, max: 65535 });
const SIDECAR_NAMES = ['log-router', 'proxy', 'metrics', 'otel-collector'];

// ---------------------------------------------------------------------------------------------
// policies and exemptions

const CONTROLS: readonly ControlId[] = CONTROL_CATALOG.map((c) => c.id);

function daysAfterToday(days: number): string {
  return new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const policy: fc.Arbitrary<SecurityPolicyProps> = fc.record({
  defaultUser: fc.option(fc.record({ uid: id, gid: id }), { nil: undefined }),
  requireTicket: fc.option(fc.boolean(), { nil: undefined }),
  ticketPattern: fc.option(fc.constantFrom('^SEC-\\d+$', '^[A-Z]+-\\d+$'), { nil: undefined }),
  requireExpiry: fc.option(fc.boolean(), { nil: undefined }),
  maxExemptionDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: undefined }),
  expiryWarningDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  nonWaivable: fc.option(fc.subarray([...CONTROLS]), { nil: undefined }),
}, { requiredKeys: [] });

/**
 * An exemption that every policy above accepts (ticket matches both patterns, expiry within a day)
 * of a control nothing weakens here: valid, and reported as unused (a warning, never a failure).
 */
function unusedExemption(nonWaivable: readonly ControlId[]): fc.Arbitrary<Exemption> | undefined {
  const waivable = CONTROLS.filter((c) => !nonWaivable.includes(c));
  if (waivable.length === 0) return undefined;
  return fc.record({
    control: fc.constantFrom(...waivable),
    justification: fc.constantFrom(
      'Vendor agent reads host metrics; reviewed by platform security in the Q3 audit',
      'Legacy reporting engine writes its cache under /opt/app until the rewrite ships',
    ),
    expires: fc.integer({ min: 0, max: 1 }).map(daysAfterToday),
    ticket: fc.integer({ min: 1, max: 99999 }).map((n) => `SEC-${n}`),
  });
}

// ---------------------------------------------------------------------------------------------
// the service definition

/** A random valid service definition: 0-3 sidecars, sizes Fargate offers in total, perhaps a policy. */
export const serviceDefinition: fc.Arbitrary<ServiceDefinition> = fc.record({
  sidecarCount: fc.integer({ min: 0, max: 3 }),
  port: fc.option(port, { nil: undefined }),
  sidecarPorts: fc.uniqueArray(port, { maxLength: 3 }),
  policy: fc.option(policy, { nil: undefined }),
  allowRegistries: fc.boolean(),
}).chain(({ sidecarCount, port: mainPort, sidecarPorts, policy: policyProps, allowRegistries }) => {
  // Containers of one task or pod share a network namespace: no two listen on one port.
  const ports = sidecarPorts.filter((p) => p !== mainPort);
  const exemption = unusedExemption(policyProps?.nonWaivable ?? []);
  return fc.record({
    sizes: containerSizes(sidecarCount + 1),
    names: fc.array(names, { minLength: sidecarCount + 1, maxLength: sidecarCount + 1 }),
    replicas: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    exemptions: exemption ? fc.option(fc.array(exemption, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 20 }) : fc.constant(undefined),
    essential: fc.array(fc.boolean(), { minLength: sidecarCount, maxLength: sidecarCount }),
    enableExecuteCommand: fc.boolean(),
    secretsAsFiles: fc.boolean(),
    writablePathSizeMiB: fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
    seedFirstPath: fc.boolean(),
  }).chain((more) => fc.tuple(
    containerOptions(more.sizes[0], mainPort, more.names[0], true),
    fc.tuple(...more.sizes.slice(1).map((size, i) => containerOptions(size, ports[i], more.names[i + 1], false))),
  ).map(([main, sidecars]): ServiceDefinition => {
    const images = [main.image, ...sidecars.map((s) => s.image)];
    const resolvedPolicy = policyProps && allowRegistries ? { ...policyProps, allowedRegistries: images.map(registryPrefix) } : policyProps;
    return {
      spec: { ...main, replicas: more.replicas, exemptions: more.exemptions },
      sidecars: sidecars.map((options, i) => ({ name: SIDECAR_NAMES[i], options, essential: more.essential[i] })),
      policy: resolvedPolicy,
      ecs: { enableExecuteCommand: more.enableExecuteCommand },
      k8s: {
        secretsAsFiles: more.secretsAsFiles,
        // A size with no writable path sizes nothing, and is rejected.
        writablePathSizeMiB: main.writablePaths?.length ? more.writablePathSizeMiB : undefined,
        copyFromImage: more.seedFirstPath && main.writablePaths?.length ? [main.writablePaths[0]] : [],
      },
    };
  }));
});

/** The registry an image comes from, as a policy's allowedRegistries would list it (Docker Hub is docker.io). */
function registryPrefix(reference: string): string {
  const first = reference.split('/')[0];
  return reference.includes('/') && (first.includes('.') || first.includes(':')) ? first : 'docker.io';
}
