import { dockerfileUserProblem } from '../../lib/core';

test.each([
  ['FROM gcr.io/distroless/static:nonroot\nUSER 65532:65532\n', undefined],
  ['FROM node:20 AS build\nUSER node\nRUN npm ci\nFROM gcr.io/distroless/nodejs20\n# USER 0 in a comment does not count\nUSER 10001\n', undefined],
  ['FROM alpine:3.20\nRUN apk add curl\n', 'the final stage has no USER instruction, so the image runs as root'],
  ['FROM alpine:3.20 AS build\nUSER 10001\nFROM alpine:3.20\nCOPY --from=build /app /app\n', 'the final stage has no USER instruction, so the image runs as root'],
  ['FROM alpine:3.20\nUSER root\n', 'USER root is root'],
  ['FROM alpine:3.20\nUSER 0:0\n', 'USER 0:0 is root'],
  ['FROM alpine:3.20\nUSER 10001:0\n', 'USER 10001:0 is root'],
  ['FROM nginx:1.27\nUSER nginx\n', 'USER nginx is a name, not a numeric uid, so the runtime cannot verify it is not root'],
  ['FROM alpine:3.20\nARG UID=10001\nUSER ${UID}\n', 'USER ${UID} is set from a build variable, so its value cannot be verified'],
  ['FROM alpine:3.20\nUSER \\\n  10001\n', undefined],
])('%j', (dockerfile, problem) => {
  expect(dockerfileUserProblem(dockerfile)).toBe(problem);
});
