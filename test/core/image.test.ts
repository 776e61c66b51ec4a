import { imageReferenceProblem } from '../../lib/core';

const EXAMPLE = 'image must be an image reference such as \'ghcr.io/acme/api:1.4.2\'';
const FORM = "the form is [registry[:port]/]repository[:tag][@sha256:<64 hex digits>], a tag being 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";

test.each([
  'ghcr.io/acme/api:1.4.2',
  'nginx',
  `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`,
  `ghcr.io/acme/api:1.4.2@sha256:${'b'.repeat(64)}`,
  'localhost:5000/team/api:v1',
  '[::1]:5000/api',
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.27_rc.1',
  'public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine',
  'my__repo/sub--name:Tag_1',
])('%s is a reference a runtime can parse', (image) => {
  expect(imageReferenceProblem(image)).toBeUndefined();
});

test.each([
  ['', `${EXAMPLE}, found: ""`],
  ['   ', `${EXAMPLE}, found: "   "`],
  [42, `${EXAMPLE}, found: 42`],
  ['envoy proxy:1', `${EXAMPLE}, found: "envoy proxy:1"; an image reference contains no spaces, remove them`],
  ['https://ghcr.io/acme/api:1.4.2', `${EXAMPLE}, found: "https://ghcr.io/acme/api:1.4.2"; an image reference has no scheme, remove "https://"`],
  ['ghcr.io/Acme/API:1.4.2', `${EXAMPLE}, found: "ghcr.io/Acme/API:1.4.2"; repository names are lower case, found "Acme/API"`],
  ['ghcr.io/acme/api:', `${EXAMPLE}, found: "ghcr.io/acme/api:"; ${FORM}`],
  ['ghcr.io/acme/api:-rc', `${EXAMPLE}, found: "ghcr.io/acme/api:-rc"; ${FORM}`],
  ['ghcr.io/acme/api:1.4.2:2', `${EXAMPLE}, found: "ghcr.io/acme/api:1.4.2:2"; ${FORM}`],
  ['ghcr.io/acme/api@sha256:abc', `${EXAMPLE}, found: "ghcr.io/acme/api@sha256:abc"; ${FORM}`],
  ['ghcr.io//api:1', `${EXAMPLE}, found: "ghcr.io//api:1"; ${FORM}`],
])('%j is not an image reference', (image, message) => {
  expect(imageReferenceProblem(image)).toBe(message);
});

test('a name longer than the 255 characters the grammar allows is not a reference', () => {
  const name = `ghcr.io/${'a'.repeat(247)}`;
  expect(imageReferenceProblem(`${name}:1`)).toBeUndefined();
  expect(imageReferenceProblem(`${name}a:1`)).toBe(`${EXAMPLE}, found: "${name}a:1"; ${FORM}`);
});
