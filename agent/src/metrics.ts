import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsReaders {
  objectCounts(): Record<string, number>;
  bufferSize(): number;
  ready(): boolean;
}

/** The agent's Prometheus metrics, on a registry of its own. */
export class AgentMetrics {
  readonly registry = new Registry();
  readonly batchesSent = new Counter({
    name: 'tollgate_agent_batches_sent_total',
    help: 'Batches the backend accepted, by type (snapshot, delta, heartbeat).',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly pushFailures = new Counter({
    name: 'tollgate_agent_push_failures_total',
    help: 'Pushes to the backend that failed, by type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly objectsRejected = new Counter({
    name: 'tollgate_agent_objects_rejected_total',
    help: 'Objects the backend refused as invalid.',
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'tollgate_agent_watch_restarts_total',
    help: 'Watch streams that ended and were restarted, by kind and reason (closed, error, gone).',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });
  readonly snapshots = new Counter({
    name: 'tollgate_agent_snapshots_total',
    help: 'Full snapshots completed.',
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'tollgate_agent_errors_total',
    help: 'Problems the agent recovered from, by where they happened.',
    labelNames: ['context'] as const,
    registers: [this.registry],
  });
  readonly lastPush = new Gauge({
    name: 'tollgate_agent_last_successful_push_timestamp_seconds',
    help: 'Unix time of the last push the backend accepted.',
    registers: [this.registry],
  });
  readonly snapshotDuration = new Gauge({
    name: 'tollgate_agent_last_snapshot_duration_seconds',
    help: 'How long the last full snapshot took, listing included.',
    registers: [this.registry],
  });

  constructor(collectProcessMetrics = true) {
    if (collectProcessMetrics)
      collectDefaultMetrics({ register: this.registry });
  }

  /** Gauges read from the agent's state when scraped. */
  observe(readers: MetricsReaders): void {
    new Gauge({
      name: 'tollgate_agent_objects',
      help: 'Objects tracked, by kind.',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [kind, count] of Object.entries(readers.objectCounts()))
          this.set({ kind }, count);
      },
    });
    new Gauge({
      name: 'tollgate_agent_buffer_size',
      help: 'Changes waiting to be sent.',
      registers: [this.registry],
      collect() {
        this.set(readers.bufferSize());
      },
    });
    new Gauge({
      name: 'tollgate_agent_ready',
      help: '1 once the first snapshot was sent.',
      registers: [this.registry],
      collect() {
        this.set(readers.ready() ? 1 : 0);
      },
    });
  }
}
