import { readFileSync } from 'fs';
import { join } from 'path';
import { renderControlsTable } from '../lib';

test('the README controls table is the one generated from the catalog (run `npx projen readme`)', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(renderControlsTable());
});
