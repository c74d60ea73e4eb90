import { readFile, stat } from 'node:fs/promises';

export interface TokenSource {
  /** The bearer token to send now. */
  get(): Promise<string>;
  /** Forget any cached value (after the backend refused it). */
  invalidate(): void;
}

export function staticToken(token: string): TokenSource {
  return { get: async () => token, invalidate: () => {} };
}

/**
 * Reads the token from a file and reads it again whenever the file changes,
 * so a rotated Secret takes effect without a restart. Mounted Secrets are
 * swapped through a symlink; `stat` follows it and sees the new file.
 */
export class TokenFile implements TokenSource {
  private readonly path: string;
  private cached: { token: string; version: string } | undefined;

  constructor(path: string) {
    this.path = path;
  }

  async get(): Promise<string> {
    const info = await stat(this.path);
    const version = `${info.ino}:${info.mtimeMs}:${info.size}`;
    if (this.cached?.version !== version) {
      const token = (await readFile(this.path, 'utf8')).trim();
      if (!token) throw new Error(`Token file ${this.path} is empty`);
      this.cached = { token, version };
    }
    return this.cached.token;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
