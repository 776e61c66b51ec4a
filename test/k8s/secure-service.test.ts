import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { GOLDEN, exemption, find, newChart, podSpec, synthError } from './helpers';
import { SecurityPolicy } from '../../lib/core';
import { EXEMPTIONS_ANNOTATION, SecureService } from '../../lib/k8s';

/** The container security context of every secure default, for the default user. */
const HARDENED_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
};

describe('k8s.SecureService defaults', () => {
  // GIVEN the golden path of the issue
  const { chart } = newChart();
  const api = new SecureService(chart, 'api', GOLDEN);
  // WHEN
  const objects = Testing.synth(chart);
  const pod = podSpec(objects, 'api');
  const container = pod.containers[0];

  test('pod security context: non-root numeric user and group, fsGroup, seccomp RuntimeDefault', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      fsGroupChangePolicy: 'Always',
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('container security context: read-only root, no escalation, not privileged, drop ["ALL"]', () => {
    expect(container.securityContext).toEqual(HARDENED_CONTEXT);
  });

  test('no API token: pod and ServiceAccount', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(find(objects, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
  });

  test('requests equal limits, from vCPUs and MiB', () => {
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '250m', memory: '512Mi' } });
  });

  test('probes from healthCheck.path on the container port', () => {
    const httpGet = { path: '/healthz', port: 8080, scheme: 'HTTP' };
    expect(container.livenessProbe).toMatchObject({ httpGet });
    expect(container.readinessProbe).toMatchObject({ httpGet });
  });

  test('an emptyDir with a size limit per writable path, mounted there', () => {
    expect(pod.volumes).toEqual([{ name: 'api-tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'api-tmp', mountPath: '/tmp' }]);
  });

  test('secrets as secretKeyRef, then plain environment as values (so a value can use $(DB_PASSWORD): Kubernetes expands only earlier variables)', () => {
    expect(container.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
  });

  test('no host namespaces, no host port', () => {
    expect(pod.hostNetwork).toBe(false);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
  });

  test('Deployment selects its pods by the name label; replicas as given; no exemptions annotation', () => {
    const deployment = find(objects, 'Deployment', 'api');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'api' });
    expect(deployment.metadata.annotations?.[EXEMPTIONS_ANNOTATION]).toBeUndefined();
  });

  test('Service: ClusterIP, port to containerPort, same selector', () => {
    expect(find(objects, 'Service', 'api').spec).toMatchObject({
      type: 'ClusterIP', ports: [{ port: 8080, targetPort: 8080 }], selector: { 'app.kubernetes.io/name': 'api' },
    });
  });

  test('NetworkPolicy: selects the pods, Ingress only to the container port', () => {
    expect(find(objects, 'NetworkPolicy', 'api').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('PodDisruptionBudget with more than one replica', () => {
    expect(find(objects, 'PodDisruptionBudget', 'api').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    });
  });

  test('escape hatches are the created constructs', () => {
    expect(api.deployment.name).toBe('api');
    expect(api.service?.name).toBe('api');
    expect(api.serviceAccount.name).toBe('api');
    expect(api.networkPolicy.name).toBe('api');
    expect(api.podDisruptionBudget?.name).toBe('api');
  });

  test('the golden path has nothing to report', () => {
    expect(api.assess()).toMatchObject({ errors: [], warnings: [] });
  });

  test('snapshot of the golden path', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('k8s.SecureService options', () => {
  test('one replica: no PodDisruptionBudget; a worker without containerPort: no Service, policy admits nothing', () => {
    const { chart } = newChart();
    const worker = new SecureService(chart, 'worker', { image: 'ghcr.io/acme/worker:2.0.0' });
    const objects = Testing.synth(chart);
    expect(worker.service).toBeUndefined();
    expect(worker.podDisruptionBudget).toBeUndefined();
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'ServiceAccount']);
    expect(find(objects, 'NetworkPolicy').spec.ingress).toEqual([]);
    expect(podSpec(objects).containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '250m', memory: '512Mi' } });
  });

  test('name, namespace, labels and servicePort', () => {
    const { chart } = newChart();
    new SecureService(chart, 'Api', { ...GOLDEN, name: 'shop-api', namespace: 'shop', labels: { team: 'payments' }, servicePort: 80 });
    const objects = Testing.synth(chart);
    for (const object of objects) {
      expect(object.metadata).toMatchObject({ name: 'shop-api', namespace: 'shop', labels: { 'team': 'payments', 'app.kubernetes.io/name': 'shop-api' } });
    }
    expect(find(objects, 'Deployment').spec.template.metadata.labels).toMatchObject({ team: 'payments' });
    expect(find(objects, 'Service').spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  test('the chart namespace applies when none is given', () => {
    const { chart } = newChart('shop');
    new SecureService(chart, 'api', GOLDEN);
    expect(Testing.synth(chart).every((o) => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('allowFrom: only the named pods and namespaces reach the port', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', {
      ...GOLDEN,
      allowFrom: [{ podLabels: { app: 'web' } }, { namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress' }, podLabels: { app: 'nginx' } }],
    });
    expect(find(Testing.synth(chart), 'NetworkPolicy').spec.ingress).toEqual([{
      ports: [{ port: 8080, protocol: 'TCP' }],
      from: [
        { podSelector: { matchLabels: { app: 'web' } } },
        { podSelector: { matchLabels: { app: 'nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
      ],
    }]);
  });

  test('user and policy default user', () => {
    const { chart } = newChart();
    SecurityPolicy.of(chart).apply({ defaultUser: { uid: 20001, gid: 20002 } });
    new SecureService(chart, 'policy', GOLDEN);
    new SecureService(chart, 'own', { ...GOLDEN, user: { uid: 30001 } });
    const objects = Testing.synth(chart);
    expect(podSpec(objects, 'policy').securityContext).toMatchObject({ runAsUser: 20001, runAsGroup: 20002, fsGroup: 20002 });
    expect(podSpec(objects, 'policy').containers[0].securityContext).toMatchObject({ runAsUser: 20001, runAsGroup: 20002 });
    expect(podSpec(objects, 'own').securityContext).toMatchObject({ runAsUser: 30001, runAsGroup: 30001, fsGroup: 30001 });
  });

  test('healthCheck.startPeriodSeconds adds a startup probe of the same check that waits that long; none without it', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, healthCheck: { path: '/actuator/health', startPeriodSeconds: 95 } });
    const slow = podSpec(Testing.synth(chart)).containers[0];
    expect(slow.startupProbe).toEqual({ httpGet: { path: '/actuator/health', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 13 });
    expect(slow.livenessProbe).toEqual({ httpGet: { path: '/actuator/health', port: 8080, scheme: 'HTTP' }, failureThreshold: 3 });
    // A short start period never restarts sooner than the liveness probe alone would (3 failures, 10 s apart).
    const { chart: quick } = newChart();
    new SecureService(quick, 'api', { ...GOLDEN, healthCheck: { path: '/healthz', startPeriodSeconds: 5 } });
    expect(podSpec(Testing.synth(quick)).containers[0].startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 4 });
    const { chart: golden } = newChart();
    new SecureService(golden, 'api', GOLDEN);
    expect(podSpec(Testing.synth(golden)).containers[0].startupProbe).toBeUndefined();
  });

  test('healthCheck.livenessPath and port: readiness on path, liveness and startup on livenessPath, on a port nothing declares or opens', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, healthCheck: { path: '/health/ready', livenessPath: '/health/live', port: 9000, startPeriodSeconds: 30 } });
    expect(synthError(app)).toBe('');
    const objects = Testing.synth(chart);
    const container = podSpec(objects).containers[0];
    const on9000 = (path: string) => ({ path, port: 9000, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual(on9000('/health/ready'));
    expect(container.livenessProbe.httpGet).toEqual(on9000('/health/live'));
    expect(container.startupProbe.httpGet).toEqual(on9000('/health/live'));
    // The kubelet probes from the node, which NetworkPolicies always admit: nothing declares or opens the health port,
    // so a policy that opens it admits a port that is not a container port.
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
    expect(find(objects, 'Service').spec.ports).toEqual([expect.objectContaining({ targetPort: 8080 })]);
    expect(find(objects, 'NetworkPolicy').spec.ingress.flatMap((rule: any) => rule.ports)).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  test('healthCheck.intervalSeconds and timeoutSeconds time every probe; the startup probe keeps its period', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, healthCheck: { path: '/healthz', intervalSeconds: 20, timeoutSeconds: 5, startPeriodSeconds: 60 } });
    const container = podSpec(Testing.synth(chart)).containers[0];
    for (const probe of [container.livenessProbe, container.readinessProbe]) expect(probe).toMatchObject({ periodSeconds: 20, timeoutSeconds: 5 });
    expect(container.startupProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 9 });
  });

  test('a secret on the command line fails SECRETS_NOT_IN_ENVIRONMENT; a $(NAME) of a secret variable does not', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'cache', { ...GOLDEN, command: ['redis-server', '--requirepass', 'hunter2'] });
    const error = synthError(app);
    expect(error).toContain("[SECRETS_NOT_IN_ENVIRONMENT] Deployment/cache container 'cache': the command line gives --requirepass a plain value, "
      + 'which its name says is a secret at spec.template.spec.containers[0].command[1]; fix: put the value in a Kubernetes Secret');
    expect(error).toContain('write $(NAME) in the argument');
    expect(error).not.toContain('hunter2');
    const { app: referenced, chart: chart2 } = newChart();
    new SecureService(chart2, 'cache', {
      ...GOLDEN, command: ['redis-server', '--requirepass', '$(REDIS_PASSWORD)'], secrets: { REDIS_PASSWORD: { secretName: 'redis', key: 'password' } },
    });
    expect(synthError(referenced)).toBe('');
    // A reference to a plain variable, and a probe's command, are command lines too.
    const { app: plain, chart: chart3 } = newChart();
    new SecureService(chart3, 'cache', {
      ...GOLDEN, environment: { DB: 'hunter2' }, command: ['app', '--password=$(DB)'], healthCheck: { command: ['redis-cli', '-a', 'hunter2', 'ping'] },
    });
    const plainError = synthError(plain);
    expect(plainError).toContain('the command line gives --password the plain variable DB, which its name says is a secret at spec.template.spec.containers[0].command[1]');
    expect(plainError).toContain('the command line gives -a a plain value, which is a password at spec.template.spec.containers[0].livenessProbe.exec.command[1]');
  });

  test('a worker without containerPort is probed on healthCheck.port, and has no Service', () => {
    const { app, chart } = newChart();
    new SecureService(chart, 'worker', { ...GOLDEN, containerPort: undefined, healthCheck: { path: '/healthz', port: 9000 } });
    expect(synthError(app)).toBe('');
    const objects = Testing.synth(chart);
    expect(podSpec(objects, 'worker').containers[0].readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9000, scheme: 'HTTP' });
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
  });

  test('a NetworkPolicy that opens the health port fails NETWORK_ISOLATION', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, healthCheck: { path: '/health/ready', port: 9000 } });
    // A patch of an L1 object is rendered by the L1, which takes an IntOrString for a port.
    ApiObject.of(api.networkPolicy).addJsonPatch(JsonPatch.add('/spec/ingress/-', { ports: [{ port: kplus.k8s.IntOrString.fromNumber(9000), protocol: 'TCP' }] }));
    expect(synthError(app)).toContain('admits port 9000/TCP, which is not a container port (container ports: 8080/TCP)');
  });

  test('the README\'s recipe shares a writable path\'s volume with a sidecar, and the checks pass it', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, writablePaths: ['/tmp', '/var/log/app'] });
    const shipper = api.addContainer('shipper', { image: 'ghcr.io/acme/shipper:1.0.0', cpu: 0.05, memoryMiB: 64 });
    shipper.mount('/var/log/app', api.deployment.containers[0].mounts.find((m) => m.path === '/var/log/app')!.volume, { readOnly: true });
    expect(synthError(app)).toBe('');
    const [main, sidecar] = podSpec(Testing.synth(chart)).containers;
    const volumeAt = (c: any, path: string) => c.volumeMounts.find((m: any) => m.mountPath === path).name;
    expect(volumeAt(sidecar, '/var/log/app')).toBe(volumeAt(main, '/var/log/app'));
  });

  test('the README\'s autoscaling recipe: replicas removed, a KubeHorizontalPodAutoscalerV2 targets the Deployment, and the checks pass it', () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    ApiObject.of(api.deployment).addJsonPatch(JsonPatch.remove('/spec/replicas'));
    new kplus.k8s.KubeHorizontalPodAutoscalerV2(chart, 'hpa', {
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.deployment.name }, minReplicas: 2, maxReplicas: 10 },
    });
    expect(synthError(app)).toBe('');
    expect(find(Testing.synth(chart), 'Deployment').spec.replicas).toBeUndefined();
  });

  test('healthCheck.command renders exec probes', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', { ...GOLDEN, healthCheck: { command: ['/app/healthcheck'] } });
    const container = podSpec(Testing.synth(chart)).containers[0];
    expect(container.livenessProbe).toMatchObject({ exec: { command: ['/app/healthcheck'] } });
    expect(container.readinessProbe).toMatchObject({ exec: { command: ['/app/healthcheck'] } });
  });

  test('secretsAsFiles: read-only files named like the variable, no secret in env', () => {
    const { chart } = newChart();
    new SecureService(chart, 'api', {
      ...GOLDEN,
      secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' }, DB_USER: { secretName: 'db', key: 'user' }, API_KEY: { secretName: 'vendor', key: 'key' } },
      secretsAsFiles: true,
    });
    const pod = podSpec(Testing.synth(chart));
    const container = pod.containers[0];
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(pod.volumes).toContainEqual({
      name: 'api-secret-db',
      secret: { secretName: 'db', defaultMode: 0o440, items: [{ key: 'password', path: 'DB_PASSWORD' }, { key: 'user', path: 'DB_USER' }] },
    });
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'api-secret-db', mountPath: '/run/secrets/DB_PASSWORD', subPath: 'DB_PASSWORD', readOnly: true },
      { name: 'api-secret-db', mountPath: '/run/secrets/DB_USER', subPath: 'DB_USER', readOnly: true },
      { name: 'api-secret-vendor', mountPath: '/run/secrets/API_KEY', subPath: 'API_KEY', readOnly: true },
    ]));
  });

  test('secretsAsFiles: two variables reading one Secret key each get their file', () => {
    // GIVEN two names for one key, as apps and their Postgres clients need
    const { app, chart } = newChart();
    new SecureService(chart, 'api', {
      ...GOLDEN,
      secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' }, PGPASSWORD: { secretName: 'db', key: 'password' }, DB_USER: { secretName: 'db', key: 'user' } },
      secretsAsFiles: true,
    });

    // WHEN
    const pod = podSpec(Testing.synth(chart));

    // THEN the key is projected once and both variables mount that file at their own name
    expect(pod.volumes).toContainEqual({
      name: 'api-secret-db',
      secret: { secretName: 'db', defaultMode: 0o440, items: [{ key: 'password', path: 'DB_PASSWORD' }, { key: 'user', path: 'DB_USER' }] },
    });
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'api-tmp', mountPath: '/tmp' },
      { name: 'api-secret-db', mountPath: '/run/secrets/DB_PASSWORD', subPath: 'DB_PASSWORD', readOnly: true },
      { name: 'api-secret-db', mountPath: '/run/secrets/PGPASSWORD', subPath: 'DB_PASSWORD', readOnly: true },
      { name: 'api-secret-db', mountPath: '/run/secrets/DB_USER', subPath: 'DB_USER', readOnly: true },
    ]);
    expect(synthError(app)).toBe('');
  });

  test('copyFromImage: the init container keeps every secure default its container is exempted from', () => {
    // GIVEN a main container with a writable root, exempted for itself only, seeding /tmp
    const { app, chart } = newChart();
    new SecureService(chart, 'api', {
      ...GOLDEN,
      readOnlyRootFilesystem: false,
      copyFromImage: ['/tmp'],
      exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM', { container: 'api' })],
    });

    // WHEN
    const pod = podSpec(Testing.synth(chart));

    // THEN the copy runs hardened, as the container's user, and needs no exemption
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(pod.initContainers[0].name).toBe('copy-api-tmp');
    expect(pod.initContainers[0].securityContext).toEqual(HARDENED_CONTEXT);
    expect(synthError(app)).toBe('');
  });

  test('copyFromImage: a container running as root copies as the pod\'s non-root user; a non-root one as itself', () => {
    // GIVEN a root sidecar (exempted for itself) and a non-root one, both seeding from their images
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    api.addContainer('log-router', {
      image: 'ghcr.io/acme/fluent-bit:3.0.0',
      user: { uid: 0, gid: 0 },
      writablePaths: ['/fluent-bit/etc'],
      copyFromImage: ['/fluent-bit/etc'],
      exemptions: [exemption('RUN_AS_NON_ROOT')],
    });
    api.addContainer('proxy', { image: 'ghcr.io/acme/proxy:1.0.0', user: { uid: 20001, gid: 20002 }, writablePaths: ['/cache'], copyFromImage: ['/cache'] });

    // WHEN
    const pod = podSpec(Testing.synth(chart));

    // THEN only log-router itself runs as root
    expect(pod.containers[1].securityContext).toMatchObject({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false });
    expect(pod.initContainers.map((c: any) => [c.name, c.securityContext])).toEqual([
      ['copy-log-router-fluent-bit-etc', HARDENED_CONTEXT],
      ['copy-proxy-cache', { ...HARDENED_CONTEXT, runAsUser: 20001, runAsGroup: 20002 }],
    ]);
    expect(synthError(app)).toBe('');
  });

  test('a main container exempted to run as root leaves the pod level and the sidecars non-root', () => {
    // GIVEN root exempted for the main container only, and sidecars with and without their own user
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, user: { uid: 0 }, exemptions: [exemption('RUN_AS_NON_ROOT', { container: 'api' })] });
    api.addContainer('log-router', { image: 'ghcr.io/acme/log-router:2.1.0', user: { uid: 10001 } });
    api.addContainer('helper', { image: 'ghcr.io/acme/helper:1.0.0' });

    // WHEN
    const pod = podSpec(Testing.synth(chart));

    // THEN root is set on 'api' alone; the pod level and the sidecar without a user get the policy's default user
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    const users = pod.containers.map((c: any) => [c.name, c.securityContext.runAsUser, c.securityContext.runAsGroup, c.securityContext.runAsNonRoot]);
    expect(users).toEqual([
      ['api', 0, 0, false], ['log-router', 10001, 10001, true], ['helper', 65532, 65532, true],
    ]);
    expect(synthError(app)).toBe('');
  });

  test('a main user with root group only: the pod level takes the policy\'s group, the container keeps its own', () => {
    const { chart } = newChart();
    SecurityPolicy.of(chart).apply({ defaultUser: { uid: 20001, gid: 20002 } });
    new SecureService(chart, 'api', { ...GOLDEN, user: { uid: 10001, gid: 0 }, exemptions: [exemption('RUN_AS_NON_ROOT')] });
    const pod = podSpec(Testing.synth(chart));
    expect(pod.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 20002, fsGroup: 20002 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 0 });
  });

  test('copyFromImage: a hardened init container seeds the emptyDir from the image', () => {
    const { chart } = newChart();
    new SecureService(chart, 'web', { ...GOLDEN, writablePaths: ['/tmp', '/var/cache/nginx'], copyFromImage: ['/var/cache/nginx'] });
    const pod = podSpec(Testing.synth(chart));
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers[0];
    expect(init).toMatchObject({
      name: 'copy-web-var-cache-nginx',
      image: GOLDEN.image,
      command: ['cp', '-R', '/var/cache/nginx/.', '/secure-service/seed/'],
      volumeMounts: [{ name: 'web-var-cache-nginx', mountPath: '/secure-service/seed' }],
      resources: { limits: { cpu: '250m', memory: '512Mi' } },
    });
    expect(init.securityContext).toEqual(pod.containers[0].securityContext);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'web-var-cache-nginx', mountPath: '/var/cache/nginx' });
  });

  test('a sidecar gets the same hardening, its own resources and volumes', () => {
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    api.addContainer('log-router', { image: 'ghcr.io/acme/log-router:2.1.0', cpu: 0.1, memoryMiB: 128, writablePaths: ['/tmp'] });
    const pod = podSpec(Testing.synth(chart));
    const sidecar = pod.containers[1];
    expect(sidecar.name).toBe('log-router');
    expect(sidecar.securityContext).toEqual(pod.containers[0].securityContext);
    expect(sidecar.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
    expect(sidecar.volumeMounts).toEqual([{ name: 'log-router-tmp', mountPath: '/tmp' }]);
  });

  test('a sidecar may use the same writable paths and secrets as the main container, each with its own volumes', () => {
    // GIVEN: the main container writes /tmp and reads the Secret db, as a variable and as files
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    const files = new SecureService(chart, 'files', { ...GOLDEN, secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } }, secretsAsFiles: true });

    // WHEN: sidecars ask for the same
    api.addContainer('log-router', { image: 'ghcr.io/acme/log-router:2.1.0', writablePaths: ['/tmp'], secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } } });
    files.addContainer('log-router', {
      image: 'ghcr.io/acme/log-router:2.1.0', secrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } }, secretsAsFiles: true,
    });

    // THEN
    const objects = Testing.synth(chart);
    const apiPod = find(objects, 'Deployment', 'api').spec.template.spec;
    expect(apiPod.volumes.map((v: { name: string }) => v.name)).toEqual(['api-tmp', 'log-router-tmp']);
    expect(apiPod.containers[1].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]);
    const filesPod = find(objects, 'Deployment', 'files').spec.template.spec;
    expect(filesPod.volumes.map((v: { name: string }) => v.name)).toEqual(['files-tmp', 'files-secret-db', 'log-router-secret-db']);
  });

  test('services of a chart share one reference per Secret, in the chart; the output names the Secret as before', () => {
    // GIVEN two services reading the Secret db, one as a variable, one as files
    const { chart } = newChart();
    new SecureService(chart, 'api', GOLDEN);
    new SecureService(chart, 'files', { ...GOLDEN, secretsAsFiles: true });

    // WHEN
    const objects = Testing.synth(chart);

    // THEN one reference to db in the chart, none in the services, and both pods read db
    const references = chart.node.findAll().filter((c) => c instanceof kplus.Secret || (c as Partial<kplus.ISecret>).resourceType === 'secrets');
    expect(references.map((c) => c.node.path)).toEqual([`${chart.node.path}/SecureServiceSecret-db`]);
    expect(podSpec(objects, 'api').containers[0].env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
    expect(podSpec(objects, 'files').volumes).toContainEqual(expect.objectContaining({ secret: expect.objectContaining({ secretName: 'db' }) }));
  });

  test.each([
    ['a plain construct', (chart: Construct) => new Construct(chart, 'SecureServiceSecret-db')],
    ['a ConfigMap named like the Secret', (chart: Construct) => new kplus.ConfigMap(chart, 'SecureServiceSecret-db', { metadata: { name: 'db' } })],
    ['a reference to another Secret', (chart: Construct) => kplus.Secret.fromSecretName(chart, 'SecureServiceSecret-db', 'other')],
  ])('%s holding the id of a Secret reference in the chart is an error that names it', (_, occupy) => {
    const { chart } = newChart();
    occupy(chart);
    expect(() => new SecureService(chart, 'api', GOLDEN)).toThrow(
      `${chart.node.path}/SecureServiceSecret-db is not a reference to the Secret 'db', but SecureService keeps its reference to that Secret under this id; give that construct another id`,
    );
  });

  test('a reference to the same Secret already under that id is shared', () => {
    const { chart } = newChart();
    const mine = kplus.Secret.fromSecretName(chart, 'SecureServiceSecret-db', 'db');
    new SecureService(chart, 'api', GOLDEN);
    expect(chart.node.findAll().filter((c) => (c as Partial<kplus.ISecret>).resourceType === 'secrets')).toEqual([mine]);
  });

  test("a sidecar's exemptions cover only itself and are recorded with its name", () => {
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    api.addContainer('log-router', {
      image: 'ghcr.io/acme/log-router:2.1.0',
      readOnlyRootFilesystem: false,
      exemptions: [exemption('READ_ONLY_ROOT_FILESYSTEM')],
    });
    const objects = Testing.synth(chart);
    const recorded = JSON.parse(find(objects, 'Deployment').metadata.annotations[EXEMPTIONS_ANNOTATION]);
    expect(recorded).toEqual([{ ...exemption('READ_ONLY_ROOT_FILESYSTEM'), container: 'log-router' }]);
    expect(api.assess().errors).toEqual([]);
    expect(app.synthYaml()).toContain('log-router');
  });
});

describe('k8s.SecureService behind a Gateway API route', () => {
  /** A route other code writes, attached to a Gateway whose exposure the manifests cannot tell. */
  function route(scope: Construct, name: string, kind: string, backendRefs: object[], apiVersion = 'gateway.networking.k8s.io/v1') {
    return new ApiObject(scope, name, { apiVersion, kind, metadata: { name }, spec: { parentRefs: [{ name: 'edge', namespace: 'gateways' }], rules: [{ backendRefs }] } });
  }
  const EXPOSED = '[NO_PUBLIC_IP] Deployment/api: a Service, an Ingress or a Gateway API route makes the pods reachable from outside the cluster at';

  test.each([
    ['HTTPRoute', 'gateway.networking.k8s.io/v1'],
    ['HTTPRoute', 'gateway.networking.k8s.io/v1beta1'],
    ['GRPCRoute', 'gateway.networking.k8s.io/v1'],
    ['TCPRoute', 'gateway.networking.k8s.io/v1alpha2'],
  ])('%s (%s) to its Service fails synthesis naming NO_PUBLIC_IP and the route', (kind, apiVersion) => {
    // GIVEN
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    // WHEN
    route(chart, 'web', kind, [{ name: 'frontend', port: 80 }, { name: 'api', port: 8080 }], apiVersion);
    // THEN
    const expected = `${EXPOSED} ${kind}/web spec.rules[0].backendRefs[1] (routes to Service/api)`;
    expect(synthError(app)).toContain(expected);
    expect(api.assess().errors).toEqual([expect.stringContaining(expected)]);
  });

  test('an exemption of NO_PUBLIC_IP (the Gateway is internal) covers the route, and is used', () => {
    // GIVEN
    const { app, chart } = newChart();
    const api = new SecureService(chart, 'api', { ...GOLDEN, exemptions: [exemption('NO_PUBLIC_IP')] });
    // WHEN
    route(chart, 'web', 'HTTPRoute', [{ name: 'api' }]);
    // THEN
    expect(synthError(app)).toBe('');
    const { assessments, warnings } = api.assess();
    expect(warnings).toEqual([]);
    expect(assessments[0].findings.filter((f) => f.control === 'NO_PUBLIC_IP')).toEqual([
      expect.objectContaining({ status: 'exempted', setting: 'HTTPRoute/web spec.rules[0].backendRefs[0] (routes to Service/api)' }),
    ]);
  });

  test('a route in another namespace reaches the Service only by naming its namespace', () => {
    // GIVEN a service in shop, and routes in another chart's namespace
    const { app, chart } = newChart('shop');
    const api = new SecureService(chart, 'api', GOLDEN);
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    // WHEN: the first names no namespace (so edge/api, which does not exist); the second needs a ReferenceGrant in shop, counted anyway
    route(edge, 'same-namespace', 'HTTPRoute', [{ name: 'api' }]);
    route(edge, 'cross-namespace', 'HTTPRoute', [{ name: 'api', namespace: 'shop' }]);
    // THEN
    expect(api.assess().errors).toEqual([
      expect.stringContaining(`${EXPOSED.replace('Deployment/api', 'Deployment/shop/api')} HTTPRoute/edge/cross-namespace spec.rules[0].backendRefs[0] (routes to Service/shop/api)`),
    ]);
  });

  test('routes to another Service or to a backend of another kind are passed over', () => {
    // GIVEN
    const { chart } = newChart();
    const api = new SecureService(chart, 'api', GOLDEN);
    new SecureService(chart, 'frontend', { ...GOLDEN, exemptions: [exemption('NO_PUBLIC_IP')] });
    // WHEN: routes that do not reach the pods come first, so only a route passed over lets the last one be named
    route(chart, 'other-service', 'HTTPRoute', [{ name: 'frontend' }]);
    route(chart, 'other-kind', 'HTTPRoute', [{ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api' }]);
    route(chart, 'exposing', 'TCPRoute', [{ name: 'api' }], 'gateway.networking.k8s.io/v1alpha2');
    // THEN
    expect(api.assess().errors).toEqual([expect.stringContaining(`${EXPOSED} TCPRoute/exposing spec.rules[0].backendRefs[0] (routes to Service/api)`)]);
  });
});
