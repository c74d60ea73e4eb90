import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Cluster, CloudProvider } from '@tollgate/plugin-tollgate-common';
import type { PermissionFilter } from '../permissions/resources';
import type { TollgateStores } from '../stores/TollgateStores';
import type { ClusterChanges, ClusterFilter } from '../stores/ClusterStore';
import type { AuditService, RequestContext } from './AuditService';

/** A validated registration request. */
export interface ClusterRegistration {
  name: string;
  displayName?: string;
  provider: CloudProvider;
  region: string;
  environment: string;
  metadata?: Record<string, string>;
}

/** Registers, changes and removes clusters, auditing each change. */
export class ClusterService {
  constructor(
    private readonly stores: TollgateStores,
    private readonly audit: AuditService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** `allowed`: the conditions of the caller's permission, when it has some. */
  list(
    filter: ClusterFilter = {},
    allowed?: PermissionFilter,
  ): Promise<Cluster[]> {
    return this.stores.clusters.list(filter, allowed);
  }

  async get(id: string): Promise<Cluster> {
    const cluster = await this.stores.clusters.get(id);
    if (!cluster) throw new NotFoundError(`No cluster with id '${id}'`);
    return cluster;
  }

  async create(
    registration: ClusterRegistration,
    context: RequestContext,
  ): Promise<Cluster> {
    return this.stores.transaction(async stores => {
      if (await stores.clusters.getByName(registration.name)) {
        throw duplicateName(registration.name);
      }
      const cluster = await stores.clusters
        .insert(
          {
            id: randomUUID(),
            name: registration.name,
            displayName: registration.displayName ?? registration.name,
            provider: registration.provider,
            region: registration.region,
            environment: registration.environment,
            metadata: registration.metadata ?? {},
            createdBy: context.actor,
          },
          this.clock(),
        )
        .catch(error => {
          // Another request registered the same name between our check and insert.
          throw isUniqueViolation(error)
            ? duplicateName(registration.name)
            : error;
        });
      await this.audit.record(stores, context, {
        action: 'cluster.create',
        targetType: 'cluster',
        targetId: cluster.id,
        details: { after: summary(cluster) },
      });
      return cluster;
    });
  }

  async update(
    id: string,
    changes: ClusterChanges,
    context: RequestContext,
  ): Promise<Cluster> {
    return this.stores.transaction(async stores => {
      const before = await stores.clusters.get(id);
      if (!before) throw new NotFoundError(`No cluster with id '${id}'`);
      const after = (await stores.clusters.update(id, changes, this.clock()))!;
      await this.audit.record(stores, context, {
        action: 'cluster.update',
        targetType: 'cluster',
        targetId: id,
        details: { before: summary(before), after: summary(after) },
      });
      return after;
    });
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    await this.stores.transaction(async stores => {
      const before = await stores.clusters.get(id);
      if (!before) throw new NotFoundError(`No cluster with id '${id}'`);
      await stores.clusters.delete(id);
      await this.audit.record(stores, context, {
        action: 'cluster.delete',
        targetType: 'cluster',
        targetId: id,
        details: { before: summary(before) },
      });
    });
  }

  /** Registers each declared cluster whose name is not taken yet. */
  async registerDeclared(
    declared: ClusterRegistration[],
    context: RequestContext,
  ): Promise<Cluster[]> {
    const created: Cluster[] = [];
    for (const registration of declared) {
      if (await this.stores.clusters.getByName(registration.name)) continue;
      created.push(await this.create(registration, context));
    }
    return created;
  }
}

function duplicateName(name: string) {
  return new ConflictError(`A cluster named '${name}' is already registered`);
}

function summary(cluster: Cluster) {
  const { name, displayName, provider, region, environment, metadata } =
    cluster;
  return { name, displayName, provider, region, environment, metadata };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  // PostgreSQL unique_violation, SQLite constraint failure
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
