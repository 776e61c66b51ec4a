import { imageReferenceProblem } from '../../lib/core';

test('an image reference a runtime can pull has no problem', () => {
  for (const image of ['ghcr.io/acme/api:1.4.2', 'nginx', `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`]) {
    expect(imageReferenceProblem(image)).toBeUndefined();
  }
});

test.each([
  ['', 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\', found: ""'],
  ['   ', 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\', found: "   "'],
  [42, 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\', found: 42'],
  ['envoy proxy:1', 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\', found: "envoy proxy:1"; an image reference contains no spaces, remove them'],
])('%j is not an image reference', (image, message) => {
  expect(imageReferenceProblem(image)).toBe(message);
});
