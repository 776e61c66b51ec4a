/**
 * CloudFormation templates in YAML are read as CloudFormation reads them: short-form intrinsics as the
 * long forms they stand for, YAML 1.1 without what CloudFormation does not support.
 */
import { join } from 'path';
import { runCli, writeFiles } from './fixtures';
import { parseYaml } from '../../lib/cli/yaml-documents';

const TODAY = ['--today', '2026-11-28'];

/** A hardened EC2 task definition whose pid mode is `pidMode` (YAML), with a parameter that defaults to host. */
function template(pidMode: string, extra = ''): string {
  return `AWSTemplateFormatVersion: 2010-09-09
Parameters:
  PidModeParam:
    Type: String
    AllowedValues: [task, host]
    Default: host
${extra}Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [EC2]
      NetworkMode: awsvpc
      PidMode: ${pidMode}
      Cpu: '256'
      Memory: '512'
      ContainerDefinitions:
        - Name: app
          Image: ghcr.io/acme/api:1.4.2
          User: '65532:65532'
          ReadonlyRootFilesystem: true
          Privileged: false
          Memory: 512
          Cpu: 256
          DockerSecurityOptions: [no-new-privileges]
          LinuxParameters: { Capabilities: { Drop: [ALL] } }
          LogConfiguration: { LogDriver: splunk }
`;
}

describe('short-form intrinsics are read as their long forms', () => {
  test.each([
    ['!Ref', '!Ref PidModeParam'],
    ['the long form', '{ Ref: PidModeParam }'],
    ['!Sub', '!Sub "${PidModeParam}"'],
  ])('PidMode from a parameter that defaults to host, written with %s, is a violation', (_, pidMode) => {
    const dir = writeFiles({ 'shop.template.yaml': template(pidMode) });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+violated\s+the workload shares the host's pid namespace/);
    expect(code).toBe(1);
  });

  test('!If is read on every branch, as Fn::If is, and named with its condition', () => {
    const conditions = 'Conditions:\n  Debug: !Equals [!Ref PidModeParam, host]\n';
    const dir = writeFiles({ 'shop.template.yaml': template('!If [Debug, host, task]', conditions) });
    const { code, out } = runCli('check', dir, '--format', 'json', ...TODAY);
    const states = JSON.parse(out).workloads.map((w: any) => [w.name.replace(/ of \S+ is/, ' is'), w.controls.find((c: any) => c.control === 'NO_HOST_NAMESPACES').state]);
    expect(states).toEqual([['Task (when condition Debug is false)', 'enforced'], ['Task (when condition Debug is true)', 'violated']]);
    expect(code).toBe(1);
  });

  test('every form: scalar, sequence and mapping, nested, GetAtt split at its first dot, Ref and Condition without Fn::', () => {
    const yaml = `Resources:
  A:
    Type: AWS::SSM::Parameter
    Condition: !Condition Debug
    Properties:
      Ref: !Ref Mode
      GetAtt: !GetAtt Role.Arn
      GetAttOutputs: !GetAtt Inner.Outputs.Name
      GetAttList: !GetAtt [Role, Arn]
      Join: !Join ['', [a, !Select [0, !GetAZs '']]]
      Sub: !Sub ['\${A}-x', { A: !ImportValue Shared }]
      Base64: !Base64 { 'Fn::Sub': x }
      Logic: !And [!Equals [a, b], !Not [!Condition Other], !Or [!Condition C1, !Condition C2]]
      Misc: [!FindInMap [M, K, V], !Split [',', !Ref List], !Cidr [!Ref Block, 6, 5], !Transform { Name: AWS::Include }]
      Version: 2010-09-09
`;
    expect(parseYaml('t.yaml', yaml)[0].value).toEqual({
      Resources: {
        A: {
          Type: 'AWS::SSM::Parameter',
          Condition: { Condition: 'Debug' },
          Properties: {
            Ref: { Ref: 'Mode' },
            GetAtt: { 'Fn::GetAtt': ['Role', 'Arn'] },
            GetAttOutputs: { 'Fn::GetAtt': ['Inner', 'Outputs.Name'] },
            GetAttList: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Join: { 'Fn::Join': ['', ['a', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }]] },
            Sub: { 'Fn::Sub': ['${A}-x', { A: { 'Fn::ImportValue': 'Shared' } }] },
            Base64: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
            Logic: { 'Fn::And': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ Condition: 'Other' }] }, { 'Fn::Or': [{ Condition: 'C1' }, { Condition: 'C2' }] }] },
            Misc: [
              { 'Fn::FindInMap': ['M', 'K', 'V'] }, { 'Fn::Split': [',', { Ref: 'List' }] }, { 'Fn::Cidr': [{ Ref: 'Block' }, 6, 5] },
              { 'Fn::Transform': { Name: 'AWS::Include' } },
            ],
            Version: '2010-09-09',
          },
        },
      },
    });
  });
});

describe('what CloudFormation would not read, or read otherwise, is bad input named with its line', () => {
  test.each([
    ['an unknown tag', '!Reference PidModeParam', ':13: cannot be read as CloudFormation reads it (Unresolved tag: !Reference); use a short form CloudFormation defines'],
    ['a YAML 1.1 tag CloudFormation does not support', '!!timestamp 2026-01-01', ':13: cannot be read as CloudFormation reads it (Unresolved tag: tag:yaml.org,2002:timestamp)'],
    ['an alias', '*mode', ':13: alias *mode: CloudFormation does not support aliases; write the value out'],
    ['y, a boolean to some YAML 1.1 parsers', 'y', ':13: cannot be read as CloudFormation reads it (y is a boolean to some YAML 1.1 parsers and text to others'],
    ['a sexagesimal number to some', '1:30', ':13: cannot be read as CloudFormation reads it (1:30 is a sexagesimal number to some YAML 1.1 parsers and text to others'],
  ])('%s', (_, pidMode, message) => {
    const dir = writeFiles({ 'shop.template.yaml': template(pidMode).replace('    Default: host\n', '    Default: &mode host\n') });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`secure-service: ${join(dir, 'shop.template.yaml')}${message}`);
    expect(code).toBe(2);
  });

  test('a merge key', () => {
    const dir = writeFiles({ 'shop.template.yaml': template('task').replace('      NetworkMode: awsvpc\n', '      <<: { NetworkMode: host }\n') });
    const { code, err } = runCli('check', dir, ...TODAY);
    expect(err).toContain(`${join(dir, 'shop.template.yaml')}:12: merge key (<<): CloudFormation does not support merge keys; write the keys out`);
    expect(code).toBe(2);
  });

  test('the same template, quoted where YAML 1.1 parsers disagree, reads clean', () => {
    const dir = writeFiles({ 'shop.template.yaml': template('task').replace("      Cpu: '256'\n", "      Cpu: '256'\n      Tags: [{ Key: flag, Value: 'y' }, { Key: at, Value: '1:30' }]\n") });
    const { code, out } = runCli('check', dir, ...TODAY);
    expect(out).toMatch(/NO_HOST_NAMESPACES\s+enforced/);
    expect(code).toBe(0);
  });
});
