/**
 * Keeps credentials out of logs and error messages: clone URLs may carry a
 * token as userinfo (`https://x-access-token:ghp_...@github.com/...`).
 */

const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** The URL without its userinfo; other text is returned unchanged. */
export function redactUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1');
}

/** Removes userinfo from every URL in a message, and any secret strings given. */
export function redactMessage(message: string, secrets: string[] = []): string {
  let redacted = message;
  for (const secret of secrets) {
    if (secret.length > 0) redacted = redacted.split(secret).join('***');
  }
  return redactUrl(redacted);
}

/** The password or token part of a URL's userinfo, if it has one. */
export function userinfoSecrets(url: string): string[] {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]*)@/i.exec(url);
  if (!match) return [];
  const userinfo = match[1];
  const decoded = safeDecode(userinfo);
  const parts = [
    userinfo,
    decoded,
    ...userinfo.split(':'),
    ...decoded.split(':'),
  ];
  return [...new Set(parts)]
    .filter(part => part.length >= 4)
    .sort((a, b) => b.length - a.length);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
