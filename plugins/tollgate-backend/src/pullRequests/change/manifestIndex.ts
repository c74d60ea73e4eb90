import { isMap, type Document } from 'yaml';
import type { EditableFiles, YamlFile } from './editableFiles';

export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Where an object is written: a document of a file. */
export interface ManifestLocation {
  file: YamlFile;
  document: Document;
}

/** `Kind/name` of a document that looks like a Kubernetes object. */
export function documentKey(document: Document): string | undefined {
  if (!isMap(document.contents)) return undefined;
  const kind = document.get('kind');
  const name = document.getIn(['metadata', 'name']);
  return typeof kind === 'string' && typeof name === 'string'
    ? `${kind}/${name}`
    : undefined;
}

/** Every object written in the manifest files under a folder (or that one file). */
export async function indexManifests(
  files: EditableFiles,
  folderOrFile: string,
): Promise<Map<string, ManifestLocation>> {
  const direct = MANIFEST_FILE.test(folderOrFile)
    ? await files.open(folderOrFile)
    : undefined;
  const paths = direct
    ? [folderOrFile]
    : (await files.listFiles(folderOrFile)).filter(path =>
        MANIFEST_FILE.test(path),
      );
  const index = new Map<string, ManifestLocation>();
  for (const path of paths.sort()) {
    const file = await files.open(path);
    for (const document of file?.documents ?? []) {
      const key = documentKey(document);
      if (file && key && !index.has(key)) index.set(key, { file, document });
    }
  }
  return index;
}

/** `deployment-checkout-api.yaml`: where Tollgate writes a new object. */
export function newObjectFileName(kind: string, name: string): string {
  return `${kind.toLowerCase()}-${name}.yaml`;
}
