import { Dirent, existsSync, readdirSync, realpathSync, statSync } from 'fs';
import { extname, join } from 'path';
import { UnreadInput } from '../core';

// What `kubectl apply -R -f <directory>` reads: these extensions, in this case only (`deploy.YAML` is not applied).
const READABLE = ['.json', '.yaml', '.yml'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** Whether kubectl reads a file of this name in a directory it applies. */
function hasReadableExtension(name: string): boolean {
  return READABLE.includes(extname(name));
}

/**
 * The JSON and YAML files below `directory`, in name order, following symbolic links: the files
 * `kubectl apply -R -f` applies, except those in `node_modules` and `.git`, and in a cloud assembly (a
 * directory with a `manifest.json`) its assets' directories (`asset.*`, Lambda code and Docker contexts).
 * `seen` holds the real paths already visited: a link back up the tree (a cycle) or a second way to the
 * same directory or file is walked once. Directories and links that cannot be read are problems, not silence.
 */
export function filesBelow(directory: string, seen: Set<string>, problems: UnreadInput[]): string[] {
  if (!firstVisit(directory, seen)) return [];
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (e) {
    problems.push({ file: directory, reason: `cannot be read (${(e as Error).message})` });
    return [];
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const assembly = existsSync(join(directory, 'manifest.json'));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const kind = entryKind(entry, path);
    if (kind === 'directory') {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !(assembly && entry.name.startsWith('asset.'))) files.push(...filesBelow(path, seen, problems));
    } else if (!hasReadableExtension(entry.name)) {
      continue;
    } else if (kind === 'file') {
      if (firstVisit(path, seen)) files.push(path);
    } else if (kind === 'broken-link') {
      problems.push({ file: path, reason: 'cannot be read: a symbolic link to a file or directory that does not exist' });
    }
  }
  return files;
}

/** Records a real path as visited; false when it was already. */
export function firstVisit(path: string, seen: Set<string>): boolean {
  const real = realPath(path);
  if (seen.has(real)) return false;
  seen.add(real);
  return true;
}

/** Whether a path (by its real path) was visited already. */
export function visited(path: string, seen: ReadonlySet<string>): boolean {
  return seen.has(realPath(path));
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// Dirent says what a link is, not what it points to: links are followed with stat.
function entryKind(entry: Dirent, path: string): 'directory' | 'file' | 'broken-link' | 'other' {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
  try {
    const target = statSync(path);
    return target.isDirectory() ? 'directory' : target.isFile() ? 'file' : 'other';
  } catch {
    return 'broken-link';
  }
}
