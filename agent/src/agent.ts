import { randomUUID } from 'node:crypto';
import type { PushOutcome } from './backendClient.ts';
import { DeltaBuffer } from './deltaBuffer.ts';
import { GzipBatch } from './gzipBatch.ts';
import { errorMessage, type Logger } from './log.ts';
import type { AgentMetrics } from './metrics.ts';
import { ObjectIndex } from './objectIndex.ts';
import { identityOf } from './projection.ts';
import {
  MAX_OBJECTS_PER_BATCH,
  type AgentEndpoint,
  type BatchResult,
  type Change,
  type Heartbeat,
  type HeartbeatReply,
} from './protocol.ts';
import type { ChangeSink, StateSource } from './source.ts';
import { Backoff, Wakeable, sleep, type BackoffOptions } from './timing.ts';

export interface BackendPort {
  /** `body` is JSON, or JSON already gzip-compressed. */
  post(endpoint: AgentEndpoint, body: string | Buffer): Promise<PushOutcome>;
}

export interface AgentOptions {
  source: StateSource;
  backend: BackendPort;
  log: Logger;
  metrics: AgentMetrics;
  agentVersion: string;
  heartbeatIntervalMs: number;
  batchIntervalMs: number;
  /** Changes per delta batch, at most 5000. */
  batchSize: number;
  /** Changes buffered while the backend is away; beyond it, re-snapshot instead. */
  bufferLimit: number;
  /** JSON bytes per batch, so a part stays under the backend's body limit. */
  maxBatchBytes: number;
  backoff: BackoffOptions;
  /** Retry delay after the backend refused the token. */
  unauthorizedRetryMs: number;
  shutdownTimeoutMs: number;
  /** How long an error stays in heartbeats. */
  errorReportTtlMs?: number;
  newSnapshotId?: () => string;
}

interface Session {
  snapshotId: string;
  lastSequence: number;
  /** The backend applied the first part, so heartbeats may name the session. */
  established: boolean;
  /** The final part was applied; deltas may follow. */
  complete: boolean;
}

interface PendingBatch {
  /** gzip-compressed JSON. */
  body: Promise<Buffer>;
  count: number;
}

/** The session was refused (409) or a batch can never be accepted: start a new one. */
class SessionLost extends Error {}
/** Stopping, or a resync was requested: drop what is in progress. */
class Interrupted extends Error {}

const UNAUTHORIZED_LOG_INTERVAL_MS = 60_000;

/**
 * Keeps the backend's copy of the cluster current: a full snapshot per
 * session, then deltas in sequence, and heartbeats throughout.
 *
 * One loop does all pushing, so sequence numbers are assigned in order
 * without locks. A delta batch, once numbered, is resent unchanged until
 * the backend takes it: if an earlier attempt was applied but its answer
 * lost, the resend is recognised as a duplicate rather than a different
 * batch under the same number. Changes arriving meanwhile coalesce in the
 * buffer.
 */
export class Agent {
  private readonly options: AgentOptions;
  private readonly index = new ObjectIndex();
  private readonly buffer: DeltaBuffer;
  private readonly wake = new Wakeable();
  private readonly stopController = new AbortController();
  private readonly resyncBackoff: Backoff;
  private phase = new AbortController();
  private session: Session | undefined;
  private inFlight: PendingBatch | undefined;
  private resyncReason: string | undefined = 'agent started';
  private failedResyncs = 0;
  private everReady = false;
  private lastError: { message: string; at: number } | undefined;
  private lastUnauthorizedLog = 0;
  private running: Promise<unknown> = Promise.resolve();
  private stopping: Promise<{ flushed: boolean }> | undefined;

  constructor(options: AgentOptions) {
    this.options = options;
    this.buffer = new DeltaBuffer(options.bufferLimit);
    this.resyncBackoff = new Backoff(options.backoff);
    options.metrics.observe({
      objectCounts: () => this.index.counts(),
      bufferSize: () => this.buffer.size,
      ready: () => this.everReady,
    });
  }

  /** True once a first full snapshot reached the backend. */
  get ready(): boolean {
    return this.everReady;
  }

  get snapshotId(): string | undefined {
    return this.session?.snapshotId;
  }

  start(): void {
    const signal = this.stopController.signal;
    this.running = Promise.all([this.run(signal), this.heartbeatLoop(signal)]);
  }

  /** Stops following changes, sends what is buffered (bounded in time), stops. */
  stop(): Promise<{ flushed: boolean }> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<{ flushed: boolean }> {
    await this.options.source.stop();
    this.stopController.abort();
    await this.running;
    const flushed = await this.flush();
    this.options.log.info('agent stopped', {
      flushed,
      unsent: this.buffer.size,
    });
    return { flushed };
  }

  private readonly sink: ChangeSink = {
    upsert: object => {
      if (
        this.resyncReason === undefined &&
        this.index.upsert(object) !== undefined
      ) {
        this.enqueue({ type: 'upsert', object });
      }
    },
    remove: object => {
      if (this.resyncReason === undefined && this.index.remove(object)) {
        this.enqueue({ type: 'delete', object: identityOf(object) });
      }
    },
    resyncNeeded: reason => this.requestResync(reason),
    problem: (context, error) => this.recordProblem(context, error),
  };

  private enqueue(change: Change): void {
    if (!this.buffer.add(change)) {
      this.recordProblem(
        'buffer',
        `more than ${this.options.bufferLimit} changes waiting`,
      );
      this.requestResync('buffer overflow');
      return;
    }
    if (this.buffer.size >= this.options.batchSize) this.wake.wake();
  }

  private requestResync(reason: string): void {
    if (this.resyncReason === undefined) {
      this.options.log.info('a new snapshot is needed', { reason });
      this.resyncReason = reason;
    }
    this.buffer.clear();
    this.phase.abort();
  }

  private async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      this.phase = new AbortController();
      const signal = AbortSignal.any([stop, this.phase.signal]);
      try {
        if (this.resyncReason !== undefined) await this.resync(signal);
        else await this.sendBufferedDeltas(signal);
        await this.wake.wait(this.options.batchIntervalMs, signal);
      } catch (error) {
        if (error instanceof SessionLost) this.requestResync(error.message);
        else if (!(error instanceof Interrupted)) this.recover(error);
      }
    }
  }

  /** An unexpected failure: report it, and if no session is running, start one again. */
  private recover(error: unknown): void {
    this.recordProblem('agent loop', error);
    if (!this.session?.complete) this.requestResync('recovering from an error');
  }

  // ---- snapshots ----------------------------------------------------------

  private async resync(signal: AbortSignal): Promise<void> {
    if (this.failedResyncs > 0) await sleep(this.resyncBackoff.next(), signal);
    throwIfAborted(signal);
    const reason = this.resyncReason;
    await this.options.source.stop();
    this.resyncReason = undefined;
    this.buffer.clear();
    this.index.clear();
    this.inFlight = undefined;
    this.session = undefined;
    this.failedResyncs += 1;
    await this.waitForBackend(signal);
    const session: Session = {
      snapshotId: (this.options.newSnapshotId ?? randomUUID)(),
      lastSequence: 0,
      established: false,
      complete: false,
    };
    this.session = session;
    this.options.log.info('sending a full snapshot', {
      reason,
      snapshotId: session.snapshotId,
    });
    const startedAt = Date.now();
    const objects = await this.streamSnapshot(session, signal);
    this.snapshotDone(session, objects, startedAt);
  }

  /**
   * Lists and sends in a pipeline: while the backend stores one part, the
   * next is being listed. At most one part is in flight, so parts still
   * arrive in sequence and memory holds at most two.
   */
  private async streamSnapshot(
    session: Session,
    signal: AbortSignal,
  ): Promise<number> {
    let part = this.snapshotPart(session);
    let objects = 0;
    let inFlight: Promise<void> = Promise.resolve();
    const send = async (batch: GzipBatch, final: boolean) => {
      const pending = { body: batch.finish({ final }), count: batch.count };
      await inFlight;
      inFlight = this.sendSnapshotPart(session, pending, final, signal);
      // Its failure surfaces where it is awaited: before the next part or at the end.
      inFlight.catch(() => {});
    };
    try {
      for await (const page of this.options.source.list(this.sink, signal)) {
        for (const object of page) {
          const json = this.index.upsert(object);
          // A resource listed twice (its continuation expired) repeats objects.
          if (json === undefined) continue;
          if (!part.tryAdd(json)) {
            await send(part, false);
            part = this.snapshotPart(session);
            part.tryAdd(json);
          }
          objects += 1;
        }
      }
      throwIfAborted(signal);
    } catch (error) {
      part.discard();
      throw error;
    }
    await send(part, true);
    await inFlight;
    return objects;
  }

  /** The next part, numbered in order; the final flag goes at its end. */
  private snapshotPart(session: Session): GzipBatch {
    session.lastSequence += 1;
    return new GzipBatch(
      { snapshotId: session.snapshotId, sequence: session.lastSequence },
      'objects',
      { maxItems: MAX_OBJECTS_PER_BATCH, maxBytes: this.options.maxBatchBytes },
    );
  }

  private async sendSnapshotPart(
    session: Session,
    part: PendingBatch,
    final: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    await this.deliver('snapshots', part, signal);
    session.established = true;
    session.complete = final;
  }

  private snapshotDone(
    session: Session,
    objects: number,
    startedAt: number,
  ): void {
    const seconds = (Date.now() - startedAt) / 1000;
    this.failedResyncs = 0;
    this.resyncBackoff.reset();
    this.everReady = true;
    this.options.metrics.snapshots.inc();
    this.options.metrics.snapshotDuration.set(seconds);
    this.options.log.info('snapshot sent', {
      snapshotId: session.snapshotId,
      objects,
      parts: session.lastSequence,
      seconds,
    });
  }

  // ---- deltas -------------------------------------------------------------

  private async sendBufferedDeltas(signal: AbortSignal): Promise<void> {
    const session = this.session;
    if (!session?.complete) return;
    while (this.inFlight || this.buffer.size > 0) {
      this.inFlight ??= this.nextDeltaBatch(session);
      await this.deliver('deltas', this.inFlight, signal);
      this.inFlight = undefined;
    }
  }

  private nextDeltaBatch(session: Session): PendingBatch {
    session.lastSequence += 1;
    const batch = new GzipBatch(
      { snapshotId: session.snapshotId, sequence: session.lastSequence },
      'changes',
      {
        maxItems: Math.min(this.options.batchSize, MAX_OBJECTS_PER_BATCH),
        maxBytes: this.options.maxBatchBytes,
      },
    );
    this.buffer.drainWhile(change => batch.tryAdd(JSON.stringify(change)));
    return { body: batch.finish(), count: batch.count };
  }

  /** Sends the deltas still buffered, for at most the shutdown timeout. */
  private async flush(): Promise<boolean> {
    if (this.resyncReason !== undefined || !this.session?.complete)
      return false;
    if (!this.inFlight && this.buffer.size === 0) return true;
    const deadline = AbortSignal.timeout(this.options.shutdownTimeoutMs);
    const sending = this.sendBufferedDeltas(deadline).then(
      () => true,
      () => false,
    );
    const timedOut = new Promise<boolean>(resolve =>
      deadline.addEventListener('abort', () => resolve(false), { once: true }),
    );
    return Promise.race([sending, timedOut]);
  }

  // ---- delivery -----------------------------------------------------------

  /**
   * Sends one batch until the backend takes it. 5xx and network errors are
   * retried with backoff, a refused token slowly; 409 and other 4xx end the
   * session.
   */
  private async deliver(
    endpoint: AgentEndpoint,
    batch: PendingBatch,
    signal: AbortSignal,
  ): Promise<void> {
    const backoff = new Backoff(this.options.backoff);
    for (;;) {
      throwIfAborted(signal);
      const outcome = await this.options.backend.post(
        endpoint,
        await batch.body,
      );
      if (outcome.kind === 'ok')
        return this.delivered(endpoint, batch, outcome.body);
      this.options.metrics.pushFailures.inc({
        type: endpoint,
        outcome: outcome.kind,
      });
      switch (outcome.kind) {
        case 'conflict':
          throw new SessionLost(
            `backend refused the session: ${outcome.message}`,
          );
        case 'rejected':
          this.recordProblem(
            `push ${endpoint}`,
            `HTTP ${outcome.status}: ${outcome.message}`,
          );
          throw new SessionLost(`backend rejected a batch: ${outcome.message}`);
        case 'unauthorized':
          this.reportUnauthorized(outcome.message);
          await sleep(this.options.unauthorizedRetryMs, signal);
          break;
        case 'unavailable':
          this.recordProblem(`push ${endpoint}`, outcome.message);
          await sleep(backoff.next(), signal);
          break;
      }
    }
  }

  private delivered(
    endpoint: AgentEndpoint,
    batch: PendingBatch,
    body: unknown,
  ): void {
    const type = endpoint === 'snapshots' ? 'snapshot' : 'delta';
    this.options.metrics.batchesSent.inc({ type });
    this.options.metrics.lastPush.set(Date.now() / 1000);
    const result = body as Partial<BatchResult> | undefined;
    const rejected = Array.isArray(result?.rejected) ? result.rejected : [];
    if (rejected.length > 0) {
      this.options.metrics.objectsRejected.inc(rejected.length);
      this.options.log.warn('backend rejected objects', {
        endpoint,
        rejected: rejected.length,
        examples: rejected.slice(0, 3),
      });
    }
    this.options.log.debug('batch delivered', {
      endpoint,
      objects: batch.count,
      status: result?.status,
    });
  }

  // ---- heartbeats ---------------------------------------------------------

  private async heartbeatLoop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      await this.sendHeartbeat().catch(error =>
        this.recordProblem('heartbeat', error),
      );
      await sleep(this.options.heartbeatIntervalMs, stop);
    }
  }

  /** True when the backend answered. */
  private async sendHeartbeat(): Promise<boolean> {
    const session = this.session?.established ? this.session : undefined;
    const heartbeat: Heartbeat = {
      agentVersion: this.options.agentVersion,
      kubernetesVersion: await this.options.source.kubernetesVersion(),
      objectCounts: this.index.counts(),
      lastError: this.currentError(),
      snapshotId: session?.snapshotId,
    };
    const outcome = await this.options.backend.post(
      'heartbeat',
      JSON.stringify(heartbeat),
    );
    if (outcome.kind === 'ok') {
      this.options.metrics.batchesSent.inc({ type: 'heartbeat' });
      const reply = outcome.body as Partial<HeartbeatReply> | undefined;
      // The session may have changed while the heartbeat was in flight.
      if (reply?.resnapshot && session && session === this.session) {
        this.requestResync('the backend does not know this session');
      }
      return true;
    }
    this.options.metrics.pushFailures.inc({
      type: 'heartbeat',
      outcome: outcome.kind,
    });
    if (outcome.kind === 'unauthorized')
      this.reportUnauthorized(outcome.message);
    else
      this.options.log.warn('heartbeat failed', {
        outcome: outcome.kind,
        detail: outcome.message,
      });
    return false;
  }

  /** Snapshots start only once the backend answers, so nothing is listed in vain. */
  private async waitForBackend(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.options.backoff);
    while (!(await this.sendHeartbeat())) {
      await sleep(backoff.next(), signal);
      throwIfAborted(signal);
    }
  }

  // ---- errors -------------------------------------------------------------

  private recordProblem(context: string, error: unknown): void {
    const message = `${context}: ${errorMessage(error)}`;
    this.lastError = { message, at: Date.now() };
    this.options.metrics.errors.inc({ context: context.split(' ')[0] });
    this.options.log.warn(message, { context });
  }

  private reportUnauthorized(detail: string): void {
    this.lastError = {
      message: `backend refused the token: ${detail}`,
      at: Date.now(),
    };
    if (Date.now() - this.lastUnauthorizedLog < UNAUTHORIZED_LOG_INTERVAL_MS)
      return;
    this.lastUnauthorizedLog = Date.now();
    this.options.log.error(
      'The Tollgate backend refused the agent token (401). Check the token Secret: ' +
        'the cluster token may have been rotated or revoked. Retrying slowly.',
      { detail },
    );
  }

  private currentError(): string | undefined {
    const ttl = this.options.errorReportTtlMs ?? 15 * 60_000;
    if (!this.lastError || Date.now() - this.lastError.at > ttl)
      return undefined;
    return `${new Date(this.lastError.at).toISOString()} ${
      this.lastError.message
    }`.slice(0, 2000);
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}
