import { javascript, typescript, JsonFile } from 'projen';

const project = new typescript.TypeScriptProject({
  name: 'secure-service',
  description: 'Hardened ECS services and Kubernetes workloads from one service definition; weakening a control needs a written exemption.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  license: 'Apache-2.0',
  copyrightOwner: 'secure-service authors',

  srcdir: 'lib',
  testdir: 'test',
  libdir: 'dist',
  // Loads each target on first use (lib/entry-point.ts); the types are index.ts's.
  entrypoint: 'dist/entry-point.js',
  entrypointTypes: 'dist/index.d.ts',
  typescriptVersion: '~5.9',

  // The check CLI reads Kubernetes YAML written by anyone; errors must name the line. cdk8s bundles its own copy.
  deps: ['yaml@^2.9.1'],
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    'aws-cdk-lib@>=2.257.0',
    'constructs@^10',
    'cdk8s@^2',
    'cdk8s-plus-27@^2.9',
  ],
  devDeps: [
    'aws-cdk-lib@2.276.0',
    'constructs@10.8.1',
    'cdk8s@2.70.106',
    'cdk8s-plus-27@2.9.5',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'cdk-nag@^3',
    '@monokle/validation@0.33.0',
    'kubernetes-models@^4.5',
    // The SARIF 2.1.0 schema and a validator for it, to prove the report's SARIF is valid.
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'fast-check@^4',
    // An IAM policy evaluator (MIT) independent of ours, to prove the state machine role reading never misses a task definition.
    'pbac@0.3.2',
    '@types/node@^20',
    'jest-util@^29',
    // The CDK CLI, to prove `cdk synth` works on the ECS example's cdk.json.
    'aws-cdk@^2.1000.0',
    // The cdk8s CLI, to prove `cdk8s synth` works on the Kubernetes example's cdk8s.yaml (with our validation plugin).
    'cdk8s-cli@2.207.60',
  ],

  // Nothing here reaches GitHub or publishes: no workflows, no release, no dependency bots.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  package: false,
  sampleCode: false,

  jest: true,
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    junitReporting: false,
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      // ts-jest type-checks every file it compiles; the build and eslint already do that.
      transform: { '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'test/tsconfig.json' }) },
      // Everything the tests write under the temporary directory goes when the run ends.
      globalSetup: '<rootDir>/test/support/temp-root-setup.ts',
      globalTeardown: '<rootDir>/test/support/temp-root-teardown.ts',
    },
  },
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'examples', 'scripts', 'bench', '.projenrc.ts'] },
  // Source maps beside the code, not inside it: inline ones were 70% of every file Node reads and compiles at each `cdk synth`.
  tsconfig: { compilerOptions: { lib: ['es2022'], target: 'ES2022', skipLibCheck: true, inlineSourceMap: false, sourceMap: true, inlineSources: true } },
  tsconfigDev: { compilerOptions: { lib: ['es2022'], target: 'ES2022', skipLibCheck: true, isolatedModules: true } },
});

// cdk8s-plus-27's optional `backport` dependency pulls in ~180 packages nobody here uses.
project.npmrc.addConfig('omit', 'optional');

// Examples are type-checked on their own settings so they read like a user's app.
for (const dir of ['examples', 'scripts', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

// ts-jest runs with isolatedModules (no type-checking), so the tests are type-checked here too.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the example apps, scripts, benchmark and tests',
  exec: 'tsc -p examples/tsconfig.json && tsc -p scripts/tsconfig.json && tsc -p bench/tsconfig.json && tsc -p test/tsconfig.json',
});
project.testTask.prependSpawn(typecheck);

// The main job of the quick start: synthesize the examples for both targets and print the posture report.
project.addTask('synth', {
  description: 'Synthesize every example for both targets into out/ and write the posture report',
  exec: 'ts-node --transpile-only --project examples/tsconfig.json examples/synth.ts',
});

project.addBins({ 'secure-service': 'bin/secure-service' });

// Synthesis cost against hand-hardened equivalents; never timed assertions in tests.
project.addTask('bench', {
  description: 'Benchmark synthesis against hand-written equivalents; writes bench/RESULTS.md, JSON on stdout',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts',
});

project.addTask('readme', {
  description: 'Regenerate the README parts that come from code (the controls table)',
  exec: 'ts-node --project scripts/tsconfig.json scripts/update-readme.ts',
});

// The test task type-checks and compiles the library first: the CLI tests run the compiled bin.
project.testTask.prependSpawn(project.compileTask);

project.gitignore.exclude('/out/', 'cdk.out/', 'examples/**/cdk.out/', 'examples/**/dist/', '/bench/*.cpuprofile');

// Messages and test expectations are long strings by nature; code lines still stop at 150.
project.eslint?.addRules({
  '@stylistic/max-len': ['error', { code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
});

project.synth();
