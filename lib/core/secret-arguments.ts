/**
 * Secrets written into a container's command line (`redis-server --requirepass hunter2`,
 * `sh -c "app --db-password=hunter2"`): plain text in the task definition or manifest, as a plain
 * variable is, and visible to anyone who can list processes. Judged by SECRETS_NOT_IN_ENVIRONMENT.
 */
import { Observed } from './posture';
import { looksLikeSecretName } from './secret-names';
import { knownCredential, redactedPassword, secretDynamicReference } from './secret-values';

/** One secret found in an argument: where, and what, never the secret itself. */
export interface ArgumentSecret {
  readonly at: string;
  readonly problem: string;
}

// Flags whose names say nothing a name rule could read: Redis's.
const SECRET_FLAGS = new Set(['requirepass', 'masterauth']);
// A flag that switches something (--no-auth, --enable-token-auth) takes no secret, even where a secret word is in its name.
const SWITCH = /^(NO|DISABLE|ENABLE|WITH|WITHOUT|SKIP|USE|REQUIRE|ALLOW)_|(^|_)AUTH$/;
// What a secret flag may be given without holding the secret: a reference expanded at run time (Kubernetes'
// $(NAME), a shell's $NAME or ${NAME}), a file, or a setting that is not a secret.
const NOT_A_SECRET = /^(\$|\/|\.\.?\/|~\/|@)|^(true|false|yes|no|on|off|none|null|disabled|enabled|-)$/i;
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/s;
const LONGEST_SHOWN = 100;

/** The secrets the arguments hold, each at the argument that holds it. */
export function argumentSecrets(args: readonly Observed<string>[]): ArgumentSecret[] {
  const found: ArgumentSecret[] = [];
  // A shell script is one argument: its words are read as arguments too.
  const words = args.flatMap(({ value, at }) => value.split(/\s+/).filter((w) => w !== '').map((word) => ({ word: unquoted(word), at })));
  for (const { value, at } of args) {
    const problem = wholeArgumentSecret(value);
    if (problem) found.push({ at, problem });
  }
  words.forEach(({ word, at }, i) => {
    const flag = FLAG.exec(word);
    if (!flag || !isSecretFlag(flag[1])) return;
    // `--flag=value`, or `--flag value`: the next word, in the same argument or the next, unless it is another flag.
    const given = flag[2] ?? words[i + 1]?.word;
    const givenAt = flag[2] === undefined ? words[i + 1]?.at : at;
    if (given === undefined || given === '' || NOT_A_SECRET.test(given) || (flag[2] === undefined && given.startsWith('-'))) return;
    if (found.some((f) => f.at === at || f.at === givenAt)) return; // already found by its form
    found.push({ at, problem: `the command line gives ${flag[0].split('=')[0]} a plain value, which its name says is a secret` });
  });
  return found;
}

function wholeArgumentSecret(value: string): string | undefined {
  const reference = secretDynamicReference(value);
  if (reference) return `a command line argument holds the secret ${reference}, which CloudFormation resolves into the value`;
  const credential = knownCredential(value);
  if (credential) return `a command line argument holds ${credential.kind} in plain text (${shortened(credential.redacted)})`;
  const password = redactedPassword(value);
  return password === undefined ? undefined : `a command line argument holds a password in plain text (${shortened(password)})`;
}

function isSecretFlag(name: string): boolean {
  if (SECRET_FLAGS.has(name.toLowerCase())) return true;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.]/g, '_').toUpperCase();
  return looksLikeSecretName(words) && !SWITCH.test(words);
}

/** A shell word without the quotes around it. */
function unquoted(word: string): string {
  return word.replace(/^(["'])(.*)\1$/s, '$2').replace(/^["']|["';]$/g, '');
}

function shortened(text: string): string {
  return text.length <= LONGEST_SHOWN ? text : `${text.slice(0, LONGEST_SHOWN)}...`;
}
