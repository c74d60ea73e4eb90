import { posix } from 'node:path';
import type { CommitTree, TreeEntry } from './CommitTree';
import type { KustomizeFileSystem } from './kustomize/resources';

const SYMLINK_MODE = '120000';

function isRegularFile(entry: TreeEntry | undefined): entry is TreeEntry {
  return entry?.type === 'blob' && entry.mode !== SYMLINK_MODE;
}

/**
 * A commit's files as the kustomize renderer sees them. Symlinks and
 * submodules count as missing: their targets are not in the tree.
 */
export function treeFileSystem(tree: CommitTree): KustomizeFileSystem {
  return {
    async kind(path) {
      const entry = await tree.stat(path);
      if (entry?.type === 'tree') return 'folder';
      return isRegularFile(entry) ? 'file' : undefined;
    },
    async listFiles(folder) {
      const entries = await tree.list(folder);
      return entries
        .filter(isRegularFile)
        .map(entry => posix.basename(entry.path));
    },
    async readBytes(path) {
      const entry = await tree.stat(path);
      if (!isRegularFile(entry)) throw new Error(`Not a file: ${path}`);
      return tree.readBytes(entry);
    },
  };
}
