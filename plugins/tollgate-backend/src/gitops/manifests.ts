import { InputError } from '@backstage/errors';
import type { K8sObject } from '@tollgate/plugin-tollgate-common';
import { isRecord } from './json';
import { parseAllDocuments, YAMLError } from 'yaml';

export const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * Every document of a YAML (or JSON) file as plain data, empty documents
 * dropped. A syntax error is an InputError naming the file and line.
 */
export function parseYamlDocuments(
  text: string,
  file: string,
  schema: 'core' | 'failsafe' = 'core',
): unknown[] {
  // `merge` because go-yaml (kubectl, kustomize) honours `<<` merge keys.
  const documents = parseAllDocuments(text, { merge: true, schema });
  const values: unknown[] = [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) throw yamlSyntaxError(file, error);
    values.push(toPlainData(document, file));
  }
  return values.filter(value => value !== null && value !== undefined);
}

function toPlainData(
  document: { toJS(options: { maxAliasCount: number }): unknown },
  file: string,
): unknown {
  try {
    // Bounds alias expansion so a "billion laughs" file cannot exhaust memory.
    return document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
}

function yamlSyntaxError(file: string, error: YAMLError): InputError {
  const position = error.linePos?.[0];
  const reason = error.message.split(' at line ')[0].split('\n')[0];
  const where = position
    ? ` at line ${position.line}, column ${position.col}`
    : '';
  return new InputError(`${file}: YAML syntax error${where}: ${reason}`);
}

/** True for data shaped like a Kubernetes object: apiVersion, kind and metadata.name. */
export function isK8sObject(value: unknown): value is K8sObject {
  return (
    isRecord(value) &&
    nonEmptyString(value.apiVersion) &&
    nonEmptyString(value.kind) &&
    isRecord(value.metadata) &&
    nonEmptyString(value.metadata.name)
  );
}

/**
 * The Kubernetes objects among parsed documents: `List` kinds (what
 * `kubectl get -o yaml` prints) are flattened, anything else is skipped.
 */
export function kubernetesObjects(documents: unknown[]): K8sObject[] {
  return documents.flatMap(document => {
    if (isListDocument(document)) return kubernetesObjects(document.items);
    return isK8sObject(document) ? [document] : [];
  });
}

function isListDocument(value: unknown): value is { items: unknown[] } {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  );
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
