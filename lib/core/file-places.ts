/**
 * Whether a value names a file rather than holding a secret: the variable, flag or setting is then given
 * where to read the secret (`GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/gcp/key.json`,
 * `--password-file=/run/secrets/db`, Spring's `file:` and `classpath:` locations). A path counts when it is
 * relative (`./`, `../`, `~/`), lies under a directory systems and images keep files in, or ends in a file's
 * extension: a secret written after a slash (an AWS secret key, `/wJalrXUtnFEMI/K7MDENG...`) is none of these.
 */
const RELATIVE = /^(\.\.?|~)\//;
const FILE_DIRECTORY = /^\/?(etc|var|run|opt|usr|home|tmp|mnt|srv|dev|proc|secrets?|config|conf|certs?|keys|vault|app|data|workspace|root)\/\S*$/;
const FILE_EXTENSION = /^\S*\.(json|key|pem|crt|cert|p12|pfx|jks|txt|conf|cfg|env|ya?ml|properties|keystore|truststore|ini|toml|xml)$/i;

/** Whether `value` is a file's place: a relative path, a path under a files directory, or a name with a file's extension. */
export function isFilePlace(value: string): boolean {
  const path = value.replace(/^(file|classpath):/, '');
  return RELATIVE.test(path) || FILE_DIRECTORY.test(path) || FILE_EXTENSION.test(path);
}
