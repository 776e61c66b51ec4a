import { Yaml } from 'cdk8s';
import { parseYaml } from '../../lib/cli/yaml-documents';
import { kubectlReadingProblems, readAsNumber } from '../../lib/k8s/kubectl-reading';

describe('keys <<, which kubectl reads as merge keys', () => {
  test('names every key << with its path, the top level and list items included', () => {
    const json = { '<<': { kind: 'Pod' }, 'spec': { containers: [{ name: 'a' }, { 'name': 'b', '<<': { privileged: true } }] } };
    expect(kubectlReadingProblems(json, 'Pod/x').map((p) => p.split(': cdk8s')[0])).toEqual([
      'Pod/x: key "<<" at the top level',
      'Pod/x: key "<<" at spec.containers[1]',
    ]);
  });

  test('finds nothing in objects without one, and in values that are not objects', () => {
    expect(kubectlReadingProblems({ metadata: { labels: { a: '<<' } }, spec: [1, null, 'x'] }, 'Pod/x')).toEqual([]);
    expect(kubectlReadingProblems('<<', 'Pod/x')).toEqual([]);
  });
});

describe('text kubectl reads as a number: Go forms YAML 1.1 lacks, which cdk8s writes unquoted', () => {
  // What kubectl reads is what the CLI reads (lib/cli/kubectl-yaml.ts, checked against kubectl 1.32).
  const asKubectlReads = (value: unknown) => (parseYaml('x.yaml', Yaml.stringify({ value }))[0].value as { value: unknown }).value;

  test.each([['0o7', 7], ['0O17', 15], ['+0o1', 1], ['-0X1F', -31], ['0X1F', 31], ['0B1', 1], ['0o1_7', 15]])('%s is written unquoted and read as %d', (text, number) => {
    expect(asKubectlReads(text)).toBe(number);
    expect(readAsNumber(text)).toBe(true);
  });

  test.each(['0777', '0x1f', '0b1', '1_000', '1e5', '.5', '0', '-1', '250m', '512Mi', '1:30', '2026-01-31', 'v1', 'o7', ''])(
    '%j is text to kubectl (cdk8s quotes what YAML 1.1 reads as a number)', (text) => {
      expect(asKubectlReads(text)).toBe(text);
      expect(readAsNumber(text)).toBe(false);
    },
  );

  test('every word go-yaml reads as a boolean or null is quoted by cdk8s, so it stays text', () => {
    const words = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
      'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL'];
    for (const word of words) expect([word, asKubectlReads(word)]).toEqual([word, word]);
  });

  test('names each value and key with its path and the number kubectl reads', () => {
    const json = {
      metadata: { labels: { '0o7': 'a', 'b': '0X1F' } },
      spec: { ingress: [{ ports: [{ port: '0o1', endPort: 65535 }] }], big: '0X1FFFFFFFFFFFFFFF' },
    };
    expect(kubectlReadingProblems(json, 'NetworkPolicy/x')).toEqual([
      'NetworkPolicy/x: key "0o7" at metadata.labels: cdk8s writes it unquoted, and kubectl reads it as the number 7, so the key it applies is "7"; '
      + 'write that key if it is meant, otherwise a key that does not read as a number',
      'NetworkPolicy/x: "0X1F" at metadata.labels.b: cdk8s writes this text unquoted, and kubectl reads it as the number 31: it refuses the object '
      + 'where text is needed, and elsewhere takes the number; write the number if that is meant, otherwise text that does not read as a number',
      expect.stringContaining('NetworkPolicy/x: "0o1" at spec.ingress[0].ports[0].port: cdk8s writes this text unquoted, and kubectl reads it as the number 1:'),
      expect.stringContaining('NetworkPolicy/x: "0X1FFFFFFFFFFFFFFF" at spec.big: cdk8s writes this text unquoted, and kubectl reads it as a number beyond 2^53:'),
    ]);
  });

  test('a number, or text that is text to kubectl, is nothing to report', () => {
    expect(kubectlReadingProblems({ spec: { ports: [{ port: 8080, name: 'http' }], limits: { cpu: '250m' } }, data: { mode: '0777' } }, 'x')).toEqual([]);
    expect(kubectlReadingProblems('0o7', 'x')).toEqual([expect.stringContaining('x: "0o7" at the top level:')]);
  });
});

describe('characters cdk8s writes as they are, which kubectl reads as line breaks or refuses', () => {
  // Checked against kubectl 1.32: U+2028 in a plain value fails the object ("could not find expected ':'"), U+0085 in a
  // quoted one reads as a space, U+009F fails the file ("control characters are not allowed").
  test.each([
    ['\u2028', 'U+2028', 'which kubectl reads as a line break'],
    ['\u2029', 'U+2029', 'which kubectl reads as a line break'],
    ['\u0085', 'U+0085', 'which kubectl reads as a line break'],
    ['\u007f', 'U+007F', 'a character YAML does not allow in a file'],
    ['\u009f', 'U+009F', 'a character YAML does not allow in a file'],
    ['\uffff', 'U+FFFF', 'a character YAML does not allow in a file'],
  ])('%j in a value or a key is named with its path', (character, code, read) => {
    const written = Yaml.stringify({ value: `a${character}b` });
    expect(written).toContain(character);
    expect(kubectlReadingProblems({ metadata: { annotations: { note: `team-a${character}team-b`, [`x${character}`]: 'y' } } }, 'NetworkPolicy/x')).toEqual([
      expect.stringContaining(`NetworkPolicy/x: text at metadata.annotations.note holds ${code}, written as it is by cdk8s, ${read}`),
      expect.stringContaining(`NetworkPolicy/x: key ${JSON.stringify(`x${character}`)} at metadata.annotations holds ${code}, written as it is by cdk8s, ${read}`),
    ]);
  });

  test('text cdk8s escapes (a tab is read as it is; other control characters are escaped) is nothing to report', () => {
    expect(kubectlReadingProblems({ data: { a: 'a\tb', b: 'a\u0001b', c: 'a\u00a0b', d: '\ufeff' } }, 'x')).toEqual([]);
  });
});
