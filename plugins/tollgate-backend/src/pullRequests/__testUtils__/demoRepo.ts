import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  computePreview,
  type DiffResult,
  type K8sObject,
} from '@tollgate/plugin-tollgate-common';
import { KustomizeRenderer } from '../../gitops';
import { memoryFiles } from '../../gitops/__testUtils__/memoryFiles';
import type { RepoFiles } from '../change';

/** examples/gitops: the demo's GitOps layout. */
export const DEMO_GITOPS_DIR = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'examples',
  'gitops',
);

/** Every file of a folder on disk, by path relative to it. */
export async function readTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files[relative(root, path)] = await readFile(path, 'utf8');
    }
  };
  await walk(root);
  return files;
}

/** RepoFiles over a map of paths to text. */
export function memoryRepo(files: Record<string, string>): RepoFiles {
  return {
    async read(path) {
      return files[path];
    },
    async listFiles(folder) {
      return Object.keys(files).filter(path => path.startsWith(`${folder}/`));
    },
  };
}

export async function renderOverlay(
  files: Record<string, string>,
  folder: string,
): Promise<K8sObject[]> {
  const output = await KustomizeRenderer.render(memoryFiles(files), folder);
  return output.objects;
}

/** The diff the preview engine finds between two folders' objects. */
export function previewDiff(
  source: K8sObject[],
  target: K8sObject[],
): DiffResult {
  return computePreview({
    source: { objects: source },
    target: { objects: target },
  }).diff;
}
