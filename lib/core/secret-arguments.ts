/**
 * Secrets written into a container's command lines (`redis-server --requirepass hunter2`,
 * `sh -c "export DB_PASSWORD=hunter2; exec app"`, `mysqladmin -phunter2 ping` in a health check): plain
 * text in the task definition or manifest, as a plain variable is, and visible to anyone who can list
 * processes. Judged by SECRETS_NOT_IN_ENVIRONMENT. Messages never show the text around a secret: a
 * script may hold others.
 */
import { isFilePlace } from './file-places';
import { CommandArgument } from './posture';
import { isPublicDefaultPassword } from './public-defaults';
import { looksLikeSecretName, upperSnake } from './secret-names';
import { knownCredential, redactedPassword, secretDynamicReference } from './secret-values';

/** One secret found in an argument: where, and what, never the secret itself. */
export interface ArgumentSecret {
  readonly at: string;
  readonly problem: string;
}

// A flag takes a secret when its last words name one: --db-password, --requirepass, -Dspring.datasource.password,
// --client-secret, --api-key, --token. Not --password-stdin, --token-audience, --max-tokens or --secret (a name).
const SECRET_FLAG = new RegExp('(^|_)(PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|TOKEN|APIKEY|(API|ACCESS|SECRET|SECRET_ACCESS|PRIVATE|MASTER|ENCRYPTION|SIGNING|HMAC|LICENSE)_KEY'
  + '|(CLIENT|APP|JWT|WEBHOOK|SHARED|COOKIE|SESSION|API|OAUTH|SIGNING|HMAC)_SECRET)$');
// Flags whose names say nothing a name rule could read: Redis's.
const SECRET_FLAGS = new Set(['REQUIREPASS', 'MASTERAUTH']);
// A flag that switches something takes no secret: --no-password, --enable-token.
const SWITCH = /^(NO|DISABLE|ENABLE|WITH|WITHOUT|SKIP|USE|REQUIRE|ALLOW|PROMPT|ASK)_/;
// Programs whose short options take a password: mysql's -p<password> (attached: `-p` alone prompts),
// the Mongo shell's -p <password>, redis-cli's -a <password>, curl's -u <user:password>.
const ATTACHED_PASSWORD = new Set(['mysql', 'mysqladmin', 'mysqldump', 'mysqlcheck', 'mysqlimport', 'mariadb', 'mariadb-admin', 'mariadb-dump']);
const PASSWORD_OPTION: Record<string, string[]> = { 'mongo': ['-p'], 'mongosh': ['-p'], 'redis-cli': ['-a'], 'curl': ['-u', '--user'] };

const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/s;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s;
// A whole value that is a reference expanded at run time: $(NAME) on Kubernetes, $NAME or ${NAME} in a shell.
const REFERENCE = /^\$(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;
// What a secret may be given without holding it: a file (isFilePlace), standard input, a setting that is not a secret.
const SETTING = /^(true|false|yes|no|on|off|none|null|disabled|enabled|default|-)$/i;

/** What the container's variables are: a reference to a plain one gives the flag a plain value. */
export interface ArgumentContext {
  /** Names of the container's plain environment variables. */
  readonly plainNames: readonly string[];
}

interface Word {
  readonly word: string;
  readonly at: string;
  /** Whether the word is where a program starts: a list's first argument, a script's first word, or after exec, ; && || |. */
  readonly program: boolean;
  /** Its argument's stack parameters: a `${Name}` of one is the parameter's value, not a shell's reference. */
  readonly parameters?: readonly string[];
}

const STARTS_PROGRAM = new Set(['exec', '&&', '||', '|', 'then', 'do', 'env', 'sudo', 'nohup']);

/** The secrets the command lines hold, each at the argument that holds it. */
export function argumentSecrets(args: readonly CommandArgument[], context: ArgumentContext): ArgumentSecret[] {
  const found = new Map<string, ArgumentSecret>();
  // One finding per argument and flag or setting: a script with two secrets names both.
  const add = (at: string, subject: string, problem: string) => {
    if (!found.has(`${at}\0${subject}`)) found.set(`${at}\0${subject}`, { at, problem });
  };
  for (const { value, at, secretBy } of args) {
    const problem = secretBy ? `a command line argument holds ${secretBy}, which CloudFormation resolves into the value` : wholeArgumentSecret(value);
    if (problem) found.set(`${at}\0`, { at, problem });
  }
  // A shell script is one argument: its words are read as arguments too.
  const words: Word[] = args.flatMap(({ value, at, parameters }) => value.split(/\s+/).filter((w) => w !== '').map((word, j, all) => ({
    // A list's first argument runs a program (`...command[0]`, `...args[0]`), and so does a script's first word.
    word: unquoted(word),
    at,
    program: j === 0 ? at.endsWith('[0]') || all.length > 1 : STARTS_PROGRAM.has(all[j - 1]) || all[j - 1].endsWith(';'),
    parameters,
  })));
  const programs = new Set(words.filter((w) => w.program).map(({ word }) => word.split('/').pop()!));
  words.forEach(({ word, at, parameters }, i) => {
    if (found.has(`${at}\0`)) return; // already found by its form
    const next = words[i + 1];
    const flag = FLAG.exec(word);
    if (flag) {
      const name = upperSnake(flag[1]);
      const option = word.split('=')[0];
      const secretFlag = !SWITCH.test(name) && (SECRET_FLAG.test(name) || SECRET_FLAGS.has(name));
      const programOption = Object.keys(PASSWORD_OPTION).some((p) => programs.has(p) && PASSWORD_OPTION[p].includes(option));
      if (secretFlag || programOption) {
        // `--flag=value`, or `--flag value`: the next word, unless it is another flag.
        const givenBy = flag[2] !== undefined ? { word: flag[2], parameters }
          : next && !next.word.startsWith('-') && !found.has(`${next.at}\0`) ? next : undefined;
        const given = givenBy && (option === '-u' || option === '--user' ? givenBy.word.split(':').slice(1).join(':') : givenBy.word);
        const plain = given === undefined || isPublicDefaultPassword(flag[1], given) ? undefined : plainValue(given, context, givenBy?.parameters);
        if (plain) add(at, option, `the command line gives ${option} ${plain}, which ${secretFlag ? 'its name says is a secret' : 'is a password'}`);
      }
      if ([...programs].some((p) => ATTACHED_PASSWORD.has(p)) && /^-p.+/.test(word) && flag[2] === undefined) {
        const plain = plainValue(word.slice(2), context, parameters);
        if (plain) add(at, '-p', `the command line gives -p ${plain}, which is a password`);
      }
      return;
    }
    const assignment = ASSIGNMENT.exec(word);
    if (assignment && isSecretSetting(assignment[1]) && !isPublicDefaultPassword(assignment[1], assignment[2])) {
      const plain = plainValue(assignment[2], context, parameters);
      if (plain) add(at, assignment[1], `the command line sets ${assignment[1]} to ${plain}, which its name says is a secret`);
    }
  });
  return [...found.values()];
}

/**
 * How a value is given, when it is given in plain text: `a plain value`, `the plain variable DB`, the value of
 * one of the argument's stack `parameters`; undefined otherwise.
 */
function plainValue(value: string, context: ArgumentContext, parameters: readonly string[] = []): string | undefined {
  if (value === '' || SETTING.test(value) || isFilePlace(value)) return undefined;
  const reference = REFERENCE.exec(value);
  if (!reference) return 'a plain value';
  const name = reference[1] ?? reference[2] ?? reference[3];
  // CloudFormation writes a parameter's value into the output: `${Name}` only shows where.
  if (reference[2] !== undefined && parameters.includes(name)) return `the value of stack parameter ${name} (plain text in the task definition)`;
  return context.plainNames.includes(name) ? `the plain variable ${name}` : undefined;
}

function wholeArgumentSecret(value: string): string | undefined {
  const reference = secretDynamicReference(value);
  if (reference) return `a command line argument holds the secret ${reference}, which CloudFormation resolves into the value`;
  const credential = knownCredential(value);
  if (credential) return `a command line argument holds ${credential.kind} in plain text`;
  return redactedPassword(value) === undefined ? undefined : 'a command line argument holds a password in plain text (a URL\'s or connection string\'s)';
}

/**
 * Whether a setting written NAME=value is a secret: a variable by the environment's rules (DB_PASSWORD,
 * PGPASSWORD), a dotted or camelCase key (auth.password, keyPassword) by the flags' rules.
 */
function isSecretSetting(name: string): boolean {
  if (/^[A-Z0-9_]+$/.test(name)) return looksLikeSecretName(name);
  return SECRET_FLAG.test(upperSnake(name.split('.').pop()!));
}

/** A shell word as the program sees it, near enough: without its quotes and a trailing `;`. */
function unquoted(word: string): string {
  return word.replace(/["']/g, '').replace(/;+$/, '');
}
