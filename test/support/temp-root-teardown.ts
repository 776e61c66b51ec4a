/** Jest's global teardown: removes the run's temporary directory (temp-root-setup.ts). */
import * as fs from 'fs';
import { TEMP_ROOT_VARIABLE } from './temp-root-setup';

export default function tearDown(): void {
  const root = process.env[TEMP_ROOT_VARIABLE];
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
