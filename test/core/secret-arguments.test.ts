import { argumentSecrets } from '../../lib/core/secret-arguments';

const judged = (args: string[], plainNames: string[] = []) => argumentSecrets(args.map((value, i) => ({ value, at: `args[${i}]` })), { plainNames });

describe('secrets on a command line', () => {
  test.each<[string[], string, string]>([
    [['redis-server', '--requirepass', 'hunter2'], 'args[1]', 'the command line gives --requirepass a plain value, which its name says is a secret'],
    [['sh', '-c', 'exec app --db-password=hunter2 --port 8080'], 'args[2]', 'the command line gives --db-password a plain value'],
    [['java', '-Dspring.datasource.password=hunter2', '-jar', 'app.jar'], 'args[1]', 'the command line gives -Dspring.datasource.password a plain value'],
    [['app', '--api-key=abc123', '--verbose'], 'args[1]', 'the command line gives --api-key a plain value'],
    [['app', '--client-secret', 'abc123'], 'args[1]', 'the command line gives --client-secret a plain value'],
    [['kc.sh', 'start', '--db-password', 'admin'], 'args[2]', 'the command line gives --db-password a plain value'],
    [['sh', '-c', 'export DB_PASSWORD=hunter2; exec app'], 'args[2]', 'the command line sets DB_PASSWORD to a plain value, which its name says is a secret'],
    [['sh', '-c', 'PGPASSWORD=hunter2 psql -h db'], 'args[2]', 'the command line sets PGPASSWORD to a plain value'],
    [['helm', 'install', 'db', '--set', 'auth.password=hunter2'], 'args[4]', 'the command line sets auth.password to a plain value'],
    [['mysqladmin', '-uroot', '-phunter2', 'ping'], 'args[2]', 'the command line gives -p a plain value, which is a password'],
    [['CMD-SHELL', 'mysqladmin -uroot -phunter2 ping'], 'args[1]', 'the command line gives -p a plain value, which is a password'],
    [['mongosh', '-u', 'admin', '-p', 'hunter2'], 'args[3]', 'the command line gives -p a plain value, which is a password'],
    [['redis-cli', '-a', 'hunter2', 'ping'], 'args[1]', 'the command line gives -a a plain value, which is a password'],
    [['curl', '-u', 'admin:hunter2', 'http://localhost/'], 'args[1]', 'the command line gives -u a plain value, which is a password'],
    [['app', '--token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'], 'args[2]', 'a command line argument holds a GitHub token in plain text'],
    [['app', '--database-url', 'postgres://app:hunter2@db/app'], 'args[2]', 'a command line argument holds a password in plain text'],
    [['app', '--password', '{{resolve:secretsmanager:db:SecretString:password}}'], 'args[2]',
      'a command line argument holds the secret {{resolve:secretsmanager:db:SecretString:password}}, which CloudFormation resolves into the value'],
    [['app', '--password=$(DB)'], 'args[1]', 'the command line gives --password the plain variable DB, which its name says is a secret'],
    [['sh', '-c', 'exec app --password "$DB"'], 'args[2]', 'the command line gives --password the plain variable DB'],
    [['app', '--token=$(TOKEN)hunter2'], 'args[1]', 'the command line gives --token a plain value'],
    [['app', '--password=/hunter2'], 'args[1]', 'the command line gives --password a plain value'],
  ])('%j is found at its argument, and the message shows no secret', (args, at, problem) => {
    const found = judged(args, ['DB']);
    expect(found).toEqual([{ at, problem: expect.stringContaining(problem) }]);
    expect(found[0].problem).not.toMatch(/hunter2|abc123|admin:|ghp_/);
  });

  test('a trust store\'s password that is the JDK\'s published default (changeit) passes, as an option or a setting; a key store\'s does not', () => {
    expect(judged(['java', '-Djavax.net.ssl.trustStorePassword=changeit', '-jar', 'app.jar'])).toEqual([]);
    expect(judged(['sh', '-c', 'exec kafka-console-consumer --truststore-password changeit; TRUSTSTORE_PASSWORD=changeit app'])).toEqual([]);
    expect(judged(['java', '-Djavax.net.ssl.keyStorePassword=changeit', '-jar', 'app.jar'])).toEqual([
      { at: 'args[1]', problem: 'the command line gives -Djavax.net.ssl.keyStorePassword a plain value, which its name says is a secret' },
    ]);
    expect(judged(['sh', '-c', 'TRUSTSTORE_PASSWORD=hunter2 app'])).toEqual([
      { at: 'args[2]', problem: 'the command line sets TRUSTSTORE_PASSWORD to a plain value, which its name says is a secret' },
    ]);
  });

  test('a ${Name} that stands for a stack parameter (ECS) is the parameter\'s value, plain in the output; the words of other arguments are a shell\'s', () => {
    const args = [
      { value: 'app', at: 'Command[0]' },
      { value: '--db-password=${DbPassword}', at: 'Command[1]', parameters: ['DbPassword'] },
      { value: '--token', at: 'Command[2]' },
      { value: '${Token}', at: 'Command[3]', parameters: ['Token'] },
      { value: '--api-key=${Token}', at: 'Command[4]' },
      { value: '--port=${Token}', at: 'Command[5]', parameters: ['Token'] },
    ];
    expect(argumentSecrets(args, { plainNames: [] })).toEqual([
      { at: 'Command[1]', problem: 'the command line gives --db-password the value of stack parameter DbPassword (plain text in the task definition), which its name says is a secret' },
      { at: 'Command[2]', problem: 'the command line gives --token the value of stack parameter Token (plain text in the task definition), which its name says is a secret' },
    ]);
  });

  test('a script shows neither its other secrets nor its text, and names each secret it gives', () => {
    const found = judged(['sh', '-c', 'export API_KEY=TOPSECRET123; exec app --db postgres://u:pw@db/x --client-secret s3cr3t']);
    expect(found).toEqual([{ at: 'args[2]', problem: "a command line argument holds a password in plain text (a URL's or connection string's)" }]);
    expect(judged(['sh', '-c', 'exec app --db-password=one --client-secret two']).map((f) => f.problem)).toEqual([
      'the command line gives --db-password a plain value, which its name says is a secret',
      'the command line gives --client-secret a plain value, which its name says is a secret',
    ]);
  });

  test.each<[string[]]>([
    [['redis-server', '--requirepass', '$(REDIS_PASSWORD)']], // Kubernetes expands it from a secret variable
    [['sh', '-c', 'redis-server --requirepass "$REDIS_PASSWORD"']], // the shell does
    [['sh', '-c', 'exec app --token="$TOKEN"']],
    [['sh', '-c', 'exec app --password="${PW}"']],
    [['app', '--password-file', '/run/secrets/db']], // a file
    [['app', '--private-key', 'tls.key']],
    [['app', '--password', '/dev/stdin']],
    [['app', '--token', './token']],
    [['docker', 'login', '--password-stdin', 'registry.example.com']], // switches take no value
    [['app', '--no-password', 'serve']],
    [['app', '--secret-name', 'prod/db']], // names, references, settings about a secret
    [['app', '--secret', 'my-k8s-secret']],
    [['app', '--secret-key-ref', 'x']],
    [['app', '--token-audience', 'sts.amazonaws.com']],
    [['app', '--token-lifetime', '1h']],
    [['app', '--password-hash', 'bcrypt']],
    [['app', '--api-key-env', 'API_KEY']],
    [['app', '--credentials', 'default']],
    [['helm', 'install', 'db', '--set', 'auth.existingSecret=db-credentials']],
    [['text-generation-launcher', '--max-total-tokens', '4096', '--max-input-tokens', '2048']],
    [['vllm', 'serve', '--max-num-batched-tokens', '8192']],
    [['app', '--client-secret', '-']], // standard input
    [['app', '--token', '--other']], // the next word is another flag
    [['app', '--auth', 'basic']],
    [['app', '--password']], // nothing given
    [['mysql', '-p', 'orders']], // -p alone prompts; orders is the database
    [['curl', '-u', 'admin', 'http://localhost/']],
    [['psql', 'postgresql://app:${PGPASSWORD}@db/app']],
    [['sh', '-c', 'PASSWORD_FILE=/run/secrets/pw exec app']],
    [['node', 'server.js', '--port', '8080']],
    [['app', '--db', 'mysql', '-p8080']], // mysql named, not run: -p is the app's
  ])('%j holds none', (args) => {
    expect(judged(args, ['DB'])).toEqual([]);
  });

  test('a secret written after a slash is no file: a path must be relative, under a files directory, or end in an extension', () => {
    expect(judged(['app', '--aws-secret-access-key', '/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'])).toEqual([{
      at: 'args[1]', problem: 'the command line gives --aws-secret-access-key a plain value, which its name says is a secret',
    }]);
    expect(judged(['app', '--password', 'file:/etc/app/pw'])).toEqual([]);
  });
});
