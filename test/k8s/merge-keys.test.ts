import { mergeKeyProblems } from '../../lib/k8s/merge-keys';

test('names every key << with its path, the top level and list items included', () => {
  const json = { '<<': { kind: 'Pod' }, 'spec': { containers: [{ name: 'a' }, { 'name': 'b', '<<': { privileged: true } }] } };
  expect(mergeKeyProblems(json, 'Pod/x').map((p) => p.split(': cdk8s')[0])).toEqual([
    'Pod/x: key "<<" at the top level',
    'Pod/x: key "<<" at spec.containers[1]',
  ]);
});

test('finds nothing in objects without one, and in values that are not objects', () => {
  expect(mergeKeyProblems({ metadata: { labels: { a: '<<' } }, spec: [1, null, 'x'] }, 'Pod/x')).toEqual([]);
  expect(mergeKeyProblems('<<', 'Pod/x')).toEqual([]);
});
