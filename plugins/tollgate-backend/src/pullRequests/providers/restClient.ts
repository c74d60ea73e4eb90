import { ResponseError } from '@backstage/errors';

/** JSON over fetch with fixed headers; a non-2xx answer is a ResponseError. */
export async function requestJson<T>(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: unknown },
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(init.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
      ...init.headers,
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as T;
}
