/**
 * Jest's global setup: one temporary directory for the whole run, made the temporary directory of every
 * test and every process they start (TMPDIR, which os.tmpdir() reads), so that the assemblies, outputs
 * and fixtures the tests write under it go when the run ends (temp-root-teardown.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const TEMP_ROOT_VARIABLE = 'SECURE_SERVICE_TEST_TEMP_ROOT';

export default function setUp(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-test-'));
  process.env[TEMP_ROOT_VARIABLE] = root;
  process.env.TMPDIR = root;
}
