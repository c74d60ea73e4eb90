import { parseAllDocuments, type Document } from 'yaml';
import { InputError } from '@backstage/errors';
import { renderJson } from './jsonText';
import type { FileChange, RepoFiles } from './types';

/** A YAML (or JSON) file being edited, one syntax tree per document. */
export class YamlFile {
  readonly documents: Document[];

  constructor(readonly path: string, readonly original: string | null) {
    this.documents = original === null ? [] : parseAll(original, path);
  }

  /** The file's text: unchanged documents as written, edited ones re-printed. */
  render(): string {
    if (this.original !== null && /\.json$/i.test(this.path)) {
      const [document] = this.documents;
      return renderJson(this.original, document?.toJSON());
    }
    const original = this.original ?? '';
    const options = {
      lineWidth: 0,
      singleQuote: prefersSingleQuotes(original),
      indentSeq: indentsSequences(original),
    };
    return this.documents.map(document => document.toString(options)).join('');
  }

  append(document: Document): void {
    this.documents.push(document);
  }
}

/**
 * The repository files a change reads and edits, parsed once each; in the
 * end only files whose text differs are reported.
 */
export class EditableFiles {
  private readonly opened = new Map<string, Promise<YamlFile | undefined>>();
  private readonly created = new Map<string, YamlFile>();

  constructor(private readonly files: RepoFiles) {}

  open(path: string): Promise<YamlFile | undefined> {
    const created = this.created.get(path);
    if (created) return Promise.resolve(created);
    let file = this.opened.get(path);
    if (!file) {
      file = this.files
        .read(path)
        .then(text =>
          text === undefined ? undefined : new YamlFile(path, text),
        );
      this.opened.set(path, file);
    }
    return file;
  }

  listFiles(folder: string): Promise<string[]> {
    return this.files.listFiles(folder);
  }

  /** A new file; its path must not exist yet. */
  async create(path: string, text: string): Promise<YamlFile> {
    if (await this.open(path)) {
      throw new InputError(`Cannot create ${path}: the file exists`);
    }
    const file = new YamlFile(path, null);
    for (const document of parseAll(text, path)) file.append(document);
    this.created.set(path, file);
    return file;
  }

  /** Every file whose text changed, sorted by path. */
  async changes(): Promise<FileChange[]> {
    const files = [
      ...(await Promise.all(this.opened.values())),
      ...this.created.values(),
    ].filter((file): file is YamlFile => file !== undefined);
    return files
      .map(file => ({
        path: file.path,
        before: file.original,
        after: file.render(),
      }))
      .filter(change => change.after !== change.before)
      .sort((a, b) => (a.path < b.path ? -1 : Number(a.path > b.path)));
  }
}

function parseAll(text: string, path: string): Document[] {
  const documents = parseAllDocuments(text, { keepSourceTokens: false });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    if (document.errors.length > 0) {
      throw new InputError(
        `${path} is not valid YAML: ${document.errors[0].message}`,
      );
    }
  }
  return list;
}

/** Keeps a file's quoting habit for the strings Tollgate writes. */
function prefersSingleQuotes(text: string): boolean {
  const single = text.match(/:\s+'/g)?.length ?? 0;
  const double = text.match(/:\s+"/g)?.length ?? 0;
  return single >= double;
}

/** Whether the file writes `key:\n  - item` (indented) or `key:\n- item`. */
function indentsSequences(text: string): boolean {
  const flush = text.match(/^( *)[^\s#-][^\n]*:\n\1- /gm)?.length ?? 0;
  const indented = text.match(/^( *)[^\s#-][^\n]*:\n\1 {2}- /gm)?.length ?? 0;
  return indented >= flush;
}
