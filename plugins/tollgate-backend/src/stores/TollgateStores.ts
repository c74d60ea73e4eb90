import type { Knex } from 'knex';
import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { AgentStore } from './AgentStore';
import { AuditStore } from './AuditStore';
import { ClusterStore } from './ClusterStore';
import { ExplanationStore } from './ExplanationStore';
import { FleetStore } from './FleetStore';
import { ObjectStore } from './ObjectStore';
import { PreviewInputStore } from './PreviewInputStore';
import { PromotionFlowStore } from './PromotionFlowStore';
import { PromotionStore } from './PromotionStore';
import { PullRequestStore } from '../pullRequests/PullRequestStore';

const migrationsDir = resolvePackagePath(
  '@tollgate/plugin-tollgate-backend',
  'migrations',
);

/** Runs every pending migration in `migrations/`. */
export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ directory: migrationsDir });
}

/** Rolls every migration back, newest first. */
export async function migrateDownAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ directory: migrationsDir }, true);
}

/**
 * All of Tollgate's stores over one connection or transaction, so a service
 * can change several tables atomically with {@link TollgateStores.transaction}.
 */
export class TollgateStores {
  readonly clusters: ClusterStore;
  readonly agents: AgentStore;
  readonly objects: ObjectStore;
  readonly audit: AuditStore;
  readonly previewInputs: PreviewInputStore;
  readonly promotions: PromotionStore;
  readonly explanations: ExplanationStore;
  readonly fleet: FleetStore;
  readonly promotionFlow: PromotionFlowStore;
  readonly pullRequests: PullRequestStore;

  static async create(database: DatabaseService): Promise<TollgateStores> {
    const db = await database.getClient();
    if (!database.migrations?.skip) await migrateLatest(db);
    return new TollgateStores(db);
  }

  constructor(private readonly db: Knex) {
    this.clusters = new ClusterStore(db);
    this.agents = new AgentStore(db);
    this.objects = new ObjectStore(db);
    this.audit = new AuditStore(db);
    this.previewInputs = new PreviewInputStore(db);
    this.promotions = new PromotionStore(db);
    this.explanations = new ExplanationStore(db);
    this.fleet = new FleetStore(db);
    this.promotionFlow = new PromotionFlowStore(db);
    this.pullRequests = new PullRequestStore(db);
  }

  transaction<T>(work: (stores: TollgateStores) => Promise<T>): Promise<T> {
    return this.db.transaction(trx => work(new TollgateStores(trx)));
  }
}
