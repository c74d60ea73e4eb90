import { InputError } from '@backstage/errors';
import { redactUrl } from '../../gitops/redact';

/** `acme/gitops` (or `group/sub/project`) from `https://host/acme/gitops.git`. */
export function repoPathOf(repo: string, minSegments = 2): string {
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    throw new InputError(
      `${redactUrl(repo)} is not an https URL of a hosted repository`,
    );
  }
  const path = url.pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (path.split('/').length < minSegments) {
    throw new InputError(`Cannot tell the repository from ${redactUrl(repo)}`);
  }
  return path;
}

/** The clone URL with a user and token for git to push with. */
export function withCredentials(
  repo: string,
  user: string,
  token: string,
): string {
  const url = new URL(repo);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(token);
  return url.toString();
}
