import type { ProjectedObject } from '@tollgate/plugin-tollgate-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Defence in depth behind the agent's own projection: whatever an agent
 * sends, no managedFields, last-applied copies, env values or ConfigMap data
 * values are stored. Changes the object in place (ingest owns the parsed
 * request body; copying every object cost more than the rest of validation)
 * and returns it.
 */
export function sanitizeObject(object: ProjectedObject): ProjectedObject {
  const copy = object as ProjectedObject & Record<string, any>;
  delete copy.metadata.managedFields;
  if (copy.metadata.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  if (copy.kind === 'ConfigMap') {
    for (const field of ['data', 'binaryData']) {
      if (copy[field] && typeof copy[field] === 'object') {
        copy[field] = Object.fromEntries(
          Object.keys(copy[field]).map(key => [key, '']),
        );
      }
    }
  }
  stripEnvValues(copy);
  return copy;
}

function stripEnvValues(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(stripEnvValues);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.env)) {
    for (const entry of record.env) {
      if (entry && typeof entry === 'object')
        delete (entry as Record<string, unknown>).value;
    }
  }
  Object.values(record).forEach(stripEnvValues);
}
