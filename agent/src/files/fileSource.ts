import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '../log.ts';
import { isRecord, projectObject } from '../projection.ts';
import { isAgentKind, type ProjectedObject } from '../protocol.ts';
import type { ChangeSink, StateSource } from '../source.ts';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const PAGE_SIZE = 1000;

export interface FileSourceOptions {
  directory: string;
  log: Logger;
  /** How often to look for changed files; 0 turns re-pushing off. */
  pollIntervalMs: number;
}

/**
 * Cluster state read from manifests on disk (`kubectl get -o yaml` output,
 * `kind: List` documents, rendered charts), for demos and air-gapped
 * previews. Objects of kinds the agent does not report, Secrets among them,
 * are skipped.
 */
export class FileSource implements StateSource {
  private readonly options: FileSourceOptions;
  private timer: NodeJS.Timeout | undefined;
  private signature = '';

  constructor(options: FileSourceOptions) {
    this.options = options;
  }

  async *list(
    sink: ChangeSink,
    signal: AbortSignal,
  ): AsyncGenerator<ProjectedObject[]> {
    await this.stop();
    const files = await manifestFiles(this.options.directory);
    this.signature = await signatureOf(files);
    const objects: ProjectedObject[] = [];
    let skipped = 0;
    for (const file of files) {
      if (signal.aborted) return;
      const { projected, unsupported } = await readManifests(file, sink);
      objects.push(...projected);
      skipped += unsupported;
    }
    this.options.log.info('read manifests', {
      directory: this.options.directory,
      files: files.length,
      objects: objects.length,
      skipped,
    });
    for (let start = 0; start < objects.length; start += PAGE_SIZE) {
      yield objects.slice(start, start + PAGE_SIZE);
    }
    this.watchForChanges(sink);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async kubernetesVersion(): Promise<string | undefined> {
    return undefined;
  }

  private watchForChanges(sink: ChangeSink): void {
    if (this.options.pollIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.changed().then(
        changed =>
          changed &&
          sink.resyncNeeded(`files in ${this.options.directory} changed`),
        error => sink.problem('read manifests', error),
      );
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private async changed(): Promise<boolean> {
    const signature = await signatureOf(
      await manifestFiles(this.options.directory),
    );
    return signature !== this.signature;
  }
}

/** Every manifest file under `directory`, sorted, hidden folders excluded. */
export async function manifestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, {
    withFileTypes: true,
    recursive: true,
  });
  return entries
    .filter(
      entry =>
        entry.isFile() &&
        MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()),
    )
    .map(entry => join(entry.parentPath, entry.name))
    .filter(
      path =>
        !path
          .slice(directory.length)
          .split(/[\\/]/)
          .some(part => part.startsWith('.')),
    )
    .sort();
}

async function signatureOf(files: string[]): Promise<string> {
  const parts = await Promise.all(
    files.map(async file => {
      const info = await stat(file);
      return `${file}:${info.size}:${info.mtimeMs}`;
    }),
  );
  return parts.join('\n');
}

async function readManifests(
  file: string,
  sink: ChangeSink,
): Promise<{ projected: ProjectedObject[]; unsupported: number }> {
  const projected: ProjectedObject[] = [];
  let unsupported = 0;
  for (const object of parseManifests(
    await readFile(file, 'utf8'),
    file,
    sink,
  )) {
    const kind = object.kind;
    const result =
      isAgentKind(kind) && typeof object.apiVersion === 'string'
        ? projectObject(object, { apiVersion: object.apiVersion, kind })
        : undefined;
    if (result) projected.push(result);
    else unsupported += 1;
  }
  return { projected, unsupported };
}

/** Documents of a YAML or JSON file, with `kind: List` (and `*List`) items flattened. */
export function parseManifests(
  text: string,
  file: string,
  sink?: Pick<ChangeSink, 'problem'>,
): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      sink?.problem(`parse ${file}`, document.errors[0]);
      continue;
    }
    collect(document.toJS({ maxAliasCount: 1000 }), objects);
  }
  return objects;
}

function collect(value: unknown, into: Record<string, unknown>[]): void {
  if (!isRecord(value)) return;
  if (
    Array.isArray(value.items) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List')
  ) {
    for (const item of value.items) collect(item, into);
    return;
  }
  into.push(value);
}
