import { posix } from 'node:path';
import { GitCommandError, GitRunner } from './git';

/** One entry of a Git tree. */
export interface TreeEntry {
  /** Repository-relative path. */
  path: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  oid: string;
}

const SYMLINK_MODE = '120000';

/**
 * The files of one commit, read straight from the object database: no
 * working tree, so any number of previews can read different commits at once.
 */
export class CommitTree {
  private readonly listings = new Map<string, Promise<TreeEntry[]>>();
  private readonly contents = new Map<string, Promise<Buffer>>();

  constructor(private readonly git: GitRunner, readonly commit: string) {}

  /** The entry at a path ("" is the root), or undefined when nothing is there. */
  async stat(path: string): Promise<TreeEntry | undefined> {
    if (path === '') {
      return { path: '', type: 'tree', mode: '040000', oid: this.commit };
    }
    const siblings = await this.list(posix.dirname(path).replace(/^\.$/, ''));
    return siblings.find(entry => entry.path === path);
  }

  /** The entries directly inside a folder; empty when the folder does not exist. */
  list(folder: string): Promise<TreeEntry[]> {
    let listing = this.listings.get(folder);
    if (!listing) {
      listing = this.lsTree(folder, false);
      this.listings.set(folder, listing);
    }
    return listing;
  }

  /** Regular files (no symlinks or submodules) anywhere under a folder. */
  async listFilesRecursive(folder: string): Promise<TreeEntry[]> {
    const entries = await this.lsTree(folder, true);
    return entries.filter(
      entry => entry.type === 'blob' && entry.mode !== SYMLINK_MODE,
    );
  }

  /** A file's bytes; the caller has checked that the path is a blob. */
  readBytes(entry: TreeEntry): Promise<Buffer> {
    let content = this.contents.get(entry.oid);
    if (!content) {
      content = this.git.run(['cat-file', 'blob', entry.oid]);
      this.contents.set(entry.oid, content);
    }
    return content;
  }

  async readText(entry: TreeEntry): Promise<string> {
    return (await this.readBytes(entry)).toString('utf8');
  }

  /** Many files through one `git cat-file --batch` process. */
  async readMany(entries: TreeEntry[]): Promise<Map<string, Buffer>> {
    const oids = [...new Set(entries.map(entry => entry.oid))];
    if (oids.length === 0) return new Map();
    const output = await this.git.run(['cat-file', '--batch'], {
      input: `${oids.join('\n')}\n`,
    });
    const blobs = parseBatchOutput(output);
    return new Map(
      entries.map(entry => [
        entry.path,
        blobs.get(entry.oid) ?? Buffer.alloc(0),
      ]),
    );
  }

  private async lsTree(
    folder: string,
    recursive: boolean,
  ): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', ...(recursive ? ['-r'] : [])];
    let output: string;
    try {
      output = await this.git.text([...args, `${this.commit}:${folder}`]);
    } catch (error) {
      if (
        error instanceof GitCommandError &&
        /Not a valid object name|not a tree object/i.test(error.stderr)
      ) {
        return [];
      }
      throw error;
    }
    return parseLsTree(output, folder);
  }
}

function parseLsTree(output: string, folder: string): TreeEntry[] {
  return output
    .split('\0')
    .filter(line => line.length > 0)
    .map(line => {
      const tab = line.indexOf('\t');
      const [mode, type, oid] = line.slice(0, tab).split(' ');
      const name = line.slice(tab + 1);
      return {
        path: folder ? `${folder}/${name}` : name,
        type: type as TreeEntry['type'],
        mode,
        oid,
      };
    });
}

function parseBatchOutput(output: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const headerEnd = output.indexOf(0x0a, offset);
    if (headerEnd < 0) break;
    const [oid, type, size] = output
      .subarray(offset, headerEnd)
      .toString('utf8')
      .split(' ');
    offset = headerEnd + 1;
    if (type === 'missing' || size === undefined) continue;
    const length = Number(size);
    blobs.set(oid, output.subarray(offset, offset + length));
    offset += length + 1;
  }
  return blobs;
}
