import { closestName, keyList, unknownKeyProblems } from '../../lib/core/known-keys';

interface Peer {
  readonly podLabels?: Record<string, string>;
  readonly namespaceLabels?: Record<string, string>;
}
const PEER_KEYS = keyList<Peer>({ podLabels: true, namespaceLabels: true });

test('each unknown key is named with its value, the key it most likely meant and the known ones', () => {
  expect(unknownKeyProblems({ podLabel: { app: 'web' }, namespaceLabels: {} }, PEER_KEYS, 'a field of a network peer', 'allowFrom[0].')).toEqual([
    'allowFrom[0].podLabel is not a field of a network peer, found: {"app":"web"}; did you mean podLabels? the known ones are podLabels, namespaceLabels',
  ]);
});

test('a key far from every known one gets no guess', () => {
  expect(unknownKeyProblems({ selector: 'x' }, PEER_KEYS, 'a field of a network peer')).toEqual([
    'selector is not a field of a network peer, found: "x"; the known ones are podLabels, namespaceLabels',
  ]);
  expect(closestName('PODLABELS', PEER_KEYS)).toBe('podLabels');
});

test('a key set to undefined sets nothing, so it is no problem', () => {
  expect(unknownKeyProblems({ extra: undefined, podLabels: {} }, PEER_KEYS, 'a field of a network peer')).toEqual([]);
});
