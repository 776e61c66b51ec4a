/**
 * CloudFormation templates in YAML, read as CloudFormation reads them: YAML 1.1 without the binary,
 * omap, pairs, set and timestamp tags, aliases and merge keys (which CloudFormation does not support),
 * and with the short forms of the intrinsic functions (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) read as the
 * long forms they stand for. Read as plain text, `PidMode: !Ref Mode` would be the mode "Mode".
 */
import { CollectionTag, Document, Pair, ParseOptions, Scalar, ScalarTag, Tags, YAMLMap, YAMLSeq, isScalar, visit } from 'yaml';
import { YamlProblem, tagsNamed } from './yaml-tags';

/** The functions with a short form `!Name`, read as `{ 'Fn::Name': value }`. */
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or', 'Select', 'Split',
  'Sub', 'ToJsonString', 'Transform',
];

/** Short forms read without `Fn::`: `!Ref X` is `{ Ref: X }`, `!Condition C` is `{ Condition: C }`. */
const PLAIN_KEYS = ['Ref', 'Condition'];

// YAML 1.1 less what CloudFormation does not support (a plain date stays text, as AWSTemplateFormatVersion is);
// `<<` is then a plain key, refused below.
const UNSUPPORTED = new Set(['binary', 'omap', 'pairs', 'set', 'timestamp', 'merge'].map((name) => `tag:yaml.org,2002:${name}`));

/** The long form's key of the short form `!name`. */
function longFormKey(name: string): string {
  return PLAIN_KEYS.includes(name) ? name : `Fn::${name}`;
}

/** `!GetAtt Resource.Attribute` names the resource before the first dot; the attribute may hold dots. */
function scalarArgument(name: string, text: string): unknown {
  const dot = text.indexOf('.');
  return name === 'GetAtt' && dot > 0 ? [text.slice(0, dot), text.slice(dot + 1)] : text;
}

function shortFormTags(name: string): (ScalarTag | CollectionTag)[] {
  const key = longFormKey(name);
  const wrap = (collection: YAMLMap | YAMLSeq) => {
    const longForm = new YAMLMap();
    longForm.items.push(new Pair(new Scalar(key), collection));
    return longForm;
  };
  return [
    { tag: `!${name}`, resolve: (text: string) => ({ [key]: scalarArgument(name, text) }) },
    { tag: `!${name}`, collection: 'seq', resolve: wrap },
    { tag: `!${name}`, collection: 'map', resolve: wrap },
  ];
}

const SHORT_FORMS = [...FUNCTIONS, ...PLAIN_KEYS].flatMap(shortFormTags);

// YAML 1.1 makes `y` and `n` booleans and `1:30` a number (90), but common YAML 1.1 parsers (PyYAML,
// SnakeYAML, go-yaml) disagree, and which one CloudFormation uses is not documented.
const DISPUTED: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  test: /^(?:[yYnN]|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/,
  resolve: (text, onError) => {
    const what = /^[yYnN]$/.test(text) ? 'a boolean' : 'a sexagesimal number';
    onError(`${text} is ${what} to some YAML 1.1 parsers and text to others; quote it if it is text${what === 'a boolean' ? ', else write true or false' : ''}`);
    return text;
  },
};

/** Parse options for CloudFormation YAML; any other tag is left unresolved (a warning). */
export const CLOUDFORMATION_YAML_OPTIONS: ParseOptions & { version: '1.1'; resolveKnownTags: false; customTags: (tags: Tags) => Tags } = {
  version: '1.1',
  resolveKnownTags: false,
  customTags: (tags) => [DISPUTED, ...tagsNamed(tags, (name) => !UNSUPPORTED.has(name)), ...SHORT_FORMS],
};

/** What CloudFormation does not read in a template parsed with CLOUDFORMATION_YAML_OPTIONS: aliases and merge keys. */
export function cloudFormationYamlProblems(document: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(document, {
    Alias: (_, alias) => {
      problems.push({ node: alias, message: `alias *${alias.source}: CloudFormation does not support aliases; write the value out` });
    },
    Pair: (_, pair) => {
      if (isScalar(pair.key) && pair.key.type === Scalar.PLAIN && pair.key.value === '<<') {
        problems.push({ node: pair.key, message: 'merge key (<<): CloudFormation does not support merge keys; write the keys out' });
      }
    },
  });
  return problems;
}
