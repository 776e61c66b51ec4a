// Validates Kubernetes objects with @monokle/validation (an independent,
// third-party checker). It lives in its own ESM process because monokle is
// ESM-only and jest runs our tests as CommonJS.
//
// stdin:  JSON array of plain Kubernetes objects (e.g. cdk8s Testing.synth()).
// stdout: JSON { problems: [{ ruleId, ruleName, level, message, object, path }],
//                ruleErrors: [...], enabledRules: [...] }
//
// Offline by construction: DefaultPluginLoader only knows the bundled core
// plugins. (createDefaultMonokleValidator uses RemotePluginLoader, which would
// try to download any plugin it does not bundle.)
import { DefaultPluginLoader, DisabledFixer, MonokleValidator, ResourceParser, SchemaLoader } from '@monokle/validation';

// practices (KBP) rules about capabilities and low/root uid/gid. The other KBP
// rules (resources, images, secrets, RBAC, ...) are out of scope and stay off.
const PRACTICES_RULES = ['KBP100', 'KBP103', 'KBP104', 'KBP105', 'KBP109'];

async function readStdin() {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data;
}

// Rule implementations run inside try/catch and monokle only reports the
// exception under settings.debug via console.error('rule_failed', ...).
// A thrown rule skips EVERY resource in the batch, so we collect these and the
// caller treats them as a hard failure instead of a silent pass.
const ruleErrors = [];
const origError = console.error;
console.error = (...args) => {
  if (args[0] === 'rule_failed') {
    const { rule, error } = args[1] ?? {};
    ruleErrors.push(`${rule}: ${error?.message ?? String(error)}`);
    return;
  }
  origError(...args);
};

const objects = JSON.parse(await readStdin());
if (!Array.isArray(objects)) throw new Error('expected a JSON array of Kubernetes objects on stdin');

const validator = new MonokleValidator({
  loader: new DefaultPluginLoader(),
  parser: new ResourceParser(),
  schemaLoader: new SchemaLoader(),
  suppressors: [], // no annotation/fingerprint suppression: a manifest must not be able to silence the checker
  fixer: new DisabledFixer(),
});

const plugins = { 'pod-security-standards': true, practices: true };
// First load only to read rule metadata: restricted PSS rules default to
// enabled:false, so we enable every rule id the plugin declares.
await validator.preload({ plugins });
if (validator.getFailedPlugins().length > 0) {
  throw new Error(`monokle plugins failed to load: ${validator.getFailedPlugins().join(', ')}`);
}
const rules = {};
for (const rule of validator.rules['pod-security-standards']) rules[rule.id] = 'err';
for (const rule of validator.rules.practices) rules[rule.id] = PRACTICES_RULES.includes(rule.id) ? 'err' : false;
await validator.preload({ plugins, rules, settings: { debug: true } });

// monokle works on parsed files: each resource needs an id and its source text
// (used to compute locations). JSON is valid YAML, so stringified JSON will do.
const resources = objects.map((obj, i) => ({
  id: `r${i}`,
  fileId: `f${i}`,
  filePath: `object-${i}.yaml`,
  fileOffset: 0,
  name: obj?.metadata?.name ?? '',
  namespace: obj?.metadata?.namespace,
  apiVersion: obj?.apiVersion ?? '',
  kind: obj?.kind ?? '',
  content: obj,
  text: JSON.stringify(obj, null, 2),
}));
const label = Object.fromEntries(resources.map(r => [r.id, `${r.kind}/${r.name}`]));
const ruleNames = Object.fromEntries(Object.values(validator.rules).flat().map(r => [r.id, r.name]));

const response = await validator.validate({ resources });
const problems = response.runs[0].results.map(result => {
  // locations[1] is the RESOURCE-relative location; its logical locations hold
  // the resource and the dotted path of the offending field.
  const loc = result.locations?.[1];
  return {
    ruleId: result.ruleId,
    ruleName: ruleNames[result.ruleId] ?? '',
    level: result.level,
    message: result.message?.text ?? '',
    object: label[loc?.physicalLocation?.artifactLocation?.uri] ?? '?',
    path: loc?.logicalLocations?.find(l => l.kind === 'element')?.fullyQualifiedName ?? '',
  };
});

process.stdout.write(JSON.stringify({ problems, ruleErrors, enabledRules: Object.keys(rules).filter(id => rules[id]) }));
