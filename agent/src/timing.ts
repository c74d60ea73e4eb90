/** Resolves after `ms`, or as soon as `signal` aborts (without throwing). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * Capped exponential backoff with full jitter: each delay is random in
 * [0, min(max, initial * 2^attempt)], so agents restarted together do not
 * retry in lockstep.
 */
export class Backoff {
  private attempt = 0;
  private readonly options: BackoffOptions;
  private readonly random: () => number;

  constructor(options: BackoffOptions, random: () => number = Math.random) {
    this.options = options;
    this.random = random;
  }

  next(): number {
    const ceiling = Math.min(
      this.options.maxMs,
      this.options.initialMs * 2 ** this.attempt,
    );
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(1, Math.round(ceiling * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** A sleep that `wake()` can cut short, for loops that wait for work or a timeout. */
export class Wakeable {
  private wakeUp: (() => void) | undefined;
  private pending = false;

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.pending = true;
  }

  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.wakeUp = () => controller.abort();
    try {
      await sleep(ms, controller.signal);
    } finally {
      this.wakeUp = undefined;
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** `15s`, `500ms`, `2m`, `1h`; a bare number is seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new Error(`Invalid duration "${text}" (use e.g. 500ms, 15s, 2m)`);
  const factor =
    { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * factor);
}
