/** A container image reference split into its parts. */
export interface ImageReference {
  /** Registry host, `docker.io` when the reference names none. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_REGISTRY = 'docker.io';

// The first path component is a registry host only if it looks like one
// (has a dot or a port, or is localhost); otherwise it is a Docker Hub user.
function isRegistryHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost'
  );
}

export function parseImage(reference: string): ImageReference {
  const [withoutDigest, digest] = reference.split('@', 2);
  const slash = withoutDigest.indexOf('/');
  const first = slash >= 0 ? withoutDigest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && isRegistryHost(first);
  const registry = hasRegistry ? first : DEFAULT_REGISTRY;
  const rest = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  return {
    registry,
    repository,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** True when the image floats: tag `latest`, or neither tag nor digest. */
export function isFloatingImage(reference: string): boolean {
  const image = parseImage(reference);
  if (image.digest) return false;
  return image.tag === undefined || image.tag === 'latest';
}

/**
 * The pull policy the API server fills in when a manifest gives none: Always
 * for tag `latest` (also with a digest) or for neither tag nor digest.
 */
export function defaultPullPolicy(
  reference: string,
): 'Always' | 'IfNotPresent' {
  const image = parseImage(reference);
  const latest = image.tag === 'latest' || (!image.tag && !image.digest);
  return latest ? 'Always' : 'IfNotPresent';
}
