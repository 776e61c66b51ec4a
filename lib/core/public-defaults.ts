/**
 * Passwords that are published defaults, not secrets. The JDK's trust store (`cacerts`) ships with the
 * password `changeit`, and an app that adds its CA to a copy of it gives the JVM that password
 * (`-Djavax.net.ssl.trustStorePassword=changeit`, `SERVER_SSL_TRUST_STORE_PASSWORD=changeit`). A trust
 * store holds public certificates and the password is in the JDK's documentation: a secret store would
 * hide nothing. A key store guards a private key, so `changeit` there is still a plain password.
 */
import { upperSnake } from './secret-names';

const TRUST_STORE_PASSWORD = /(^|_)TRUST_?STORE(_FILE)?_(PASSWORD|PASSWD|PASS|PWD)$/;
const JDK_TRUST_STORE_DEFAULT = 'changeit';

/** Whether the setting `name` (a variable, an option, a key) is a trust store's password given the JDK's published default. */
export function isPublicDefaultPassword(name: string, value: string): boolean {
  return value === JDK_TRUST_STORE_DEFAULT && TRUST_STORE_PASSWORD.test(upperSnake(name));
}
