/**
 * Transpiles lib/ and bench/ once into a temporary directory, so every measured child is plain Node:
 * no TypeScript compiler in its memory or its start-up, nothing but the code being measured.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** The repository root (bench/..). */
export const REPO = path.resolve(__dirname, '..');

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
};

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Transpiles lib/ and bench/ into a new temporary directory (same layout as the repo) and returns it. */
export function buildForChildren(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-service-bench-build-'));
  for (const file of [...typeScriptFiles(path.join(REPO, 'lib')), ...typeScriptFiles(path.join(REPO, 'bench'))]) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf-8'), { compilerOptions: OPTIONS, fileName: file });
    const target = path.join(out, path.relative(REPO, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  // lib reads its version from the package.json above it.
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(out, 'package.json'));
  return out;
}
