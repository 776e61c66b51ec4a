// The main job: synthesize every example for both targets into out/, check the output with the core
// rules (the same readers the constructs and the CLI use) and write the posture report.
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { DEFAULT_POLICY, buildPostureReport, renderMarkdown, renderSarif, reportFails } from '../lib';
import { assessInputs, readInputs, renderTable } from '../lib/cli';
import { buildEcsApp } from './ecs/app';
import { buildKubernetesApp } from './k8s/app';

const OUT = join(__dirname, '..', 'out');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

// Construct paths in the template name each workload in the report, as `cdk synth` records them.
buildEcsApp({ outdir: join(OUT, 'ecs'), context: { 'aws:cdk:enable-path-metadata': true } }).synth();
buildKubernetesApp(join(OUT, 'k8s')).synth();

const today = new Date();
const inputs = readInputs([join(OUT, 'ecs'), join(OUT, 'k8s')].map((dir) => relative(process.cwd(), dir)));
const { assessments, unreadContainers } = assessInputs(inputs, DEFAULT_POLICY, today);
const report = buildPostureReport(assessments, today, [], unreadContainers);

writeFileSync(join(OUT, 'posture.json'), `${JSON.stringify(report, undefined, 2)}\n`);
writeFileSync(join(OUT, 'posture.md'), renderMarkdown(report));
writeFileSync(join(OUT, 'posture.sarif'), `${JSON.stringify(renderSarif(report), undefined, 2)}\n`);

console.log(renderTable(report));
console.log(`templates and manifests: ${inputs.map((i) => i.file).join(', ')}`);
console.log(`posture report: ${['posture.json', 'posture.md', 'posture.sarif'].map((f) => join('out', f)).join(', ')}`);
if (reportFails(report)) process.exitCode = 1;
