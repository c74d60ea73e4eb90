import { isAbsolute, posix, resolve } from 'node:path';
import { InputError } from '@backstage/errors';
import { GITOPS_REPO_ANNOTATION } from '@tollgate/plugin-tollgate-common';
import { redactUrl, userinfoSecrets } from './redact';

/** A repository as given by the user, with what is safe to show of it. */
export interface RepoLocation {
  /** What git fetches from, credentials included. */
  fetchUrl: string;
  /** The location without userinfo: for logs, errors and the cache key. */
  displayUrl: string;
  /** Credential strings to scrub from anything git prints. */
  secrets: string[];
}

const URL_SCHEMES = /^(https?|ssh|git|file):\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:(?!\/\/)/;
const FULL_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** Parses a clone URL or an absolute local path; rejects everything git could misread. */
export function parseRepoLocation(repo: string): RepoLocation {
  const trimmed = repo.trim();
  const shown = JSON.stringify(redactUrl(trimmed));
  if (trimmed.length === 0) {
    throw new InputError('Repository location must not be empty');
  }
  if (trimmed.startsWith('-') || hasControlCharacters(trimmed)) {
    throw new InputError(`Invalid repository location ${shown}`);
  }
  const supported =
    URL_SCHEMES.test(trimmed) ||
    SCP_LIKE.test(trimmed) ||
    posix.isAbsolute(trimmed);
  if (!supported) {
    throw new InputError(
      `Unsupported repository location ${shown}: use an https://, ssh://, git:// or file:// URL, user@host:path, or an absolute path`,
    );
  }
  return {
    fetchUrl: trimmed,
    displayUrl: redactUrl(trimmed),
    secrets: userinfoSecrets(trimmed),
  };
}

/**
 * Accepts branch names, tag names, full ref names and (abbreviated) SHAs.
 * Rules follow `git check-ref-format`, plus a ban on a leading dash so a ref
 * can never be read as an option.
 */
export function validateRef(ref: string): string {
  const problem = refProblem(ref);
  if (problem) {
    throw new InputError(`Invalid Git ref ${JSON.stringify(ref)}: ${problem}`);
  }
  return ref;
}

function refProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'it is empty';
  if (ref.length > 255) return 'it is longer than 255 characters';
  if (ref.startsWith('-')) return 'it must not start with "-"';
  if (hasControlCharacters(ref)) return 'it contains control characters';
  if (/[\s~^:?*[\\]/.test(ref)) {
    return 'it contains a space or one of ~ ^ : ? * [ \\';
  }
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{') || ref === '@') return 'it contains "@{"';
  if (ref.includes('//')) return 'it contains "//"';
  if (/(^|\/)\./.test(ref)) return 'a component starts with "."';
  if (/(\.lock|\/|\.)$/.test(ref)) return 'it ends with "/", "." or ".lock"';
  if (ref.startsWith('/')) return 'it starts with "/"';
  return undefined;
}

function hasControlCharacters(value: string): boolean {
  return [...value].some(char => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

export function isFullSha(ref: string): boolean {
  return FULL_SHA.test(ref);
}

/**
 * A repository-relative folder in canonical form: no leading or trailing
 * slash, no "." segments; "" is the repository root.
 */
export function normalizeRepoPath(path: string): string {
  if (hasControlCharacters(path)) {
    throw new InputError(
      `Invalid path ${JSON.stringify(path)}: it contains control characters`,
    );
  }
  const normalized = posix.normalize(`/${path}`).replace(/^\/+|\/+$/g, '');
  if (path.split(/[\\/]/).includes('..')) {
    throw new InputError(
      `Invalid path ${JSON.stringify(path)}: ".." is not allowed`,
    );
  }
  return normalized;
}

/**
 * Resolves `relative` against a repository folder; an InputError when the
 * result would leave the repository.
 */
export function resolveInRepo(
  folder: string,
  relative: string,
  referencedFrom: string,
): string {
  if (posix.isAbsolute(relative)) {
    throw new InputError(
      `${referencedFrom}: absolute path ${JSON.stringify(
        relative,
      )} is not supported; use a path relative to the kustomization`,
    );
  }
  const joined = posix.normalize(posix.join(folder || '.', relative));
  if (joined === '..' || joined.startsWith('../')) {
    throw new InputError(
      `${referencedFrom}: ${JSON.stringify(
        relative,
      )} points outside the repository`,
    );
  }
  return joined === '.' ? '' : joined.replace(/\/+$/, '');
}

/**
 * A repository location git may fetch from: a URL, `user@host:path` or an
 * absolute path as is; a relative path (the demo's `.demo/gitops.git`)
 * against `localRoot`, refused without one.
 */
export function resolveGitOpsRepo(repo: string, localRoot?: string): string {
  const located =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) ||
    /^[\w.-]+@[\w.-]+:/.test(repo) ||
    isAbsolute(repo);
  if (located) return parseRepoLocation(repo).fetchUrl;
  if (!localRoot) {
    throw new InputError(
      `${GITOPS_REPO_ANNOTATION} '${repo}' is a relative path; set tollgate.gitops.localRoot to say what it is relative to`,
    );
  }
  return parseRepoLocation(resolve(localRoot, repo)).fetchUrl;
}
