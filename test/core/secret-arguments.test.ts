import { argumentSecrets } from '../../lib/core/secret-arguments';

const judged = (...args: string[]) => argumentSecrets(args.map((value, i) => ({ value, at: `args[${i}]` })));

describe('secrets on a command line', () => {
  test.each<[string[], string, string]>([
    [['redis-server', '--requirepass', 'hunter2'], 'args[1]', 'the command line gives --requirepass a plain value, which its name says is a secret'],
    [['sh', '-c', 'exec app --db-password=hunter2 --port 8080'], 'args[2]', 'the command line gives --db-password a plain value, which its name says is a secret'],
    [['java', '-Dspring.datasource.password=hunter2', '-jar', 'app.jar'], 'args[1]', 'the command line gives -Dspring.datasource.password a plain value'],
    [['app', '--api-key=abc123', '--verbose'], 'args[1]', 'the command line gives --api-key a plain value'],
    [['keycloak', '--keycloak-admin-password', 'admin'], 'args[1]', 'the command line gives --keycloak-admin-password a plain value'],
    [['app', '--token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'], 'args[2]', 'a command line argument holds a GitHub token in plain text (ghp_****)'],
    [['app', '--database-url', 'postgres://app:hunter2@db/app'], 'args[2]', 'a command line argument holds a password in plain text (postgres://app:****@db/app)'],
    [['app', '--password', '{{resolve:secretsmanager:db:SecretString:password}}'], 'args[2]',
      'a command line argument holds the secret {{resolve:secretsmanager:db:SecretString:password}}, which CloudFormation resolves into the value'],
  ])('%j is found once, at its argument, without the secret', (args, at, problem) => {
    const found = judged(...args);
    expect(found).toEqual([{ at, problem: expect.stringContaining(problem) }]);
    expect(found[0].problem).not.toContain('hunter2');
  });

  test.each<[string[]]>([
    [['redis-server', '--requirepass', '$(REDIS_PASSWORD)']], // Kubernetes expands it from a secret variable
    [['sh', '-c', 'redis-server --requirepass "$REDIS_PASSWORD"']], // the shell does
    [['sh', '-c', 'app --token=${API_TOKEN}']],
    [['app', '--password-file', '/run/secrets/db']], // a file, and a name that says where the secret is
    [['app', '--secret-name', 'prod/db']],
    [['app', '--client-secret', '-']], // read from standard input
    [['app', '--token', '--other']], // the next word is another flag
    [['app', '--no-auth', 'serve']], // switches take no value
    [['app', '--enable-token-auth']],
    [['app', '--auth', 'basic']], // auth names a scheme as often as a credential
    [['app', '--password']], // nothing given
    [['psql', 'postgresql://app:${PGPASSWORD}@db/app']],
    [['node', 'server.js', '--port', '8080']],
  ])('%j holds none', (args) => {
    expect(judged(...args)).toEqual([]);
  });
});
