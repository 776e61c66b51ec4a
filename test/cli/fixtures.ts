import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { main } from '../../lib/cli';

/** Runs the CLI in-process and captures what it prints. */
export function runCli(...argv: string[]): { code: number; out: string; err: string } {
  return runCliReading(Buffer.alloc(0), ...argv);
}

/** Runs the CLI in-process with `input` as its standard input, and captures what it prints. */
export function runCliReading(input: string | Buffer, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const readStandardInput = () => (typeof input === 'string' ? Buffer.from(input) : input);
  const code = main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, readStandardInput });
  return { code, out, err };
}

/** Writes files (names may hold directories: `a/b.yaml`) into a fresh temporary directory and returns its path. */
export function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'secure-service-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const WHY = 'Fluent Bit reads the node journal as root; image pinned by digest';

/** A Deployment that meets every control (with its NetworkPolicy), as YAML written by hand. */
export function hardenedDeploymentYaml(annotations = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
${annotations ? `  annotations:\n${annotations}` : ''}spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        fsGroup: 65532
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          ports: [{ containerPort: 8080 }]
          securityContext:
            runAsNonRoot: true
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            privileged: false
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 250m, memory: 512Mi }
            limits: { cpu: 250m, memory: 512Mi }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels: { app: api }
  policyTypes: [Ingress]
  ingress:
    - ports: [{ port: 8080 }]
`;
}

/** The same Deployment sharing the host's PID namespace. */
export function hostPidDeploymentYaml(annotations = ''): string {
  return hardenedDeploymentYaml(annotations).replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostPID: true\n');
}

/** The Deployment behind its ClusterIP Service, and an HTTPRoute sending a Gateway's traffic to that Service. */
export function routedDeploymentYaml(annotations = ''): string {
  return `${hardenedDeploymentYaml(annotations)}---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: { app: api }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  parentRefs: [{ name: edge, namespace: gateways }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      backendRefs: [{ name: api, port: 80 }]
`;
}

export function exemptionAnnotation(exemption: object): string {
  return `    secure-service.dev/exemptions: '${JSON.stringify([{ justification: WHY, ...exemption }])}'\n`;
}

/** A hardened Fargate task definition resource; `container` overrides fields of its one container. */
export function hardenedTaskDefinition(container: object = {}): object {
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [{
        Name: 'app',
        Image: 'ghcr.io/acme/api:1.4.2',
        User: '65532:65532',
        ReadonlyRootFilesystem: true,
        Memory: 512,
        Cpu: 256,
        LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
        LogConfiguration: { LogDriver: 'splunk' },
        ...container,
      }],
    },
  };
}
