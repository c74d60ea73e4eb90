import type { KustomizeFileSystem } from '../kustomize/resources';

/** A repository's files in memory, for renderer tests that need no Git. */
export function memoryFiles(
  files: Record<string, string | Buffer>,
): KustomizeFileSystem {
  const paths = Object.keys(files);
  return {
    async kind(path) {
      if (path in files) return 'file';
      const isFolder = path === '' || paths.some(p => p.startsWith(`${path}/`));
      return isFolder ? 'folder' : undefined;
    },
    async listFiles(folder) {
      const prefix = folder ? `${folder}/` : '';
      return paths
        .filter(
          p => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'),
        )
        .map(p => p.slice(prefix.length));
    },
    async readBytes(path) {
      const content = files[path];
      if (content === undefined) throw new Error(`no file ${path}`);
      return Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    },
  };
}
