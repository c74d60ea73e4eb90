import Chip from '@material-ui/core/Chip';
import { InfoCard, Table, type TableColumn } from '@backstage/core-components';
import type {
  ClusterObject,
  HelmRelease,
} from '@tollgate/plugin-tollgate-common';

type AnyObject = Record<string, any>;
const spec = (o: ClusterObject): AnyObject =>
  (o.object as AnyObject).spec ?? {};
const status = (o: ClusterObject): AnyObject =>
  (o.object as AnyObject).status ?? {};
const label = (o: ClusterObject, key: string) =>
  o.object.metadata.labels?.[key] ?? '—';

const empty = (what: string) =>
  `No ${what} reported yet. They appear after the agent's first snapshot.`;

export function NodesTable(props: { nodes: ClusterObject[] }) {
  const columns: TableColumn<ClusterObject>[] = [
    { title: 'Name', field: 'name', highlight: true },
    {
      title: 'Instance type',
      render: n => label(n, 'node.kubernetes.io/instance-type'),
    },
    { title: 'Region', render: n => label(n, 'topology.kubernetes.io/region') },
    { title: 'Zone', render: n => label(n, 'topology.kubernetes.io/zone') },
    { title: 'CPU', render: n => status(n).capacity?.cpu ?? '—' },
    { title: 'Memory', render: n => status(n).capacity?.memory ?? '—' },
  ];
  return (
    <Table<ClusterObject>
      title={`Nodes (${props.nodes.length})`}
      options={{ paging: props.nodes.length > 10, pageSize: 10, search: false }}
      columns={columns}
      data={props.nodes}
      emptyContent={<div style={{ padding: 16 }}>{empty('nodes')}</div>}
    />
  );
}

export function NamespacesCard(props: { namespaces: ClusterObject[] }) {
  return (
    <InfoCard title={`Namespaces (${props.namespaces.length})`}>
      {props.namespaces.length === 0
        ? empty('namespaces')
        : props.namespaces.map(ns => (
            <Chip
              key={ns.name}
              label={ns.name}
              size="small"
              style={{ margin: 2 }}
            />
          ))}
    </InfoCard>
  );
}

export function WorkloadsTable(props: { workloads: ClusterObject[] }) {
  const columns: TableColumn<ClusterObject>[] = [
    { title: 'Namespace', field: 'namespace' },
    { title: 'Name', field: 'name', highlight: true },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Replicas',
      render: w =>
        w.kind === 'DaemonSet' ? 'one per node' : String(spec(w).replicas ?? 1),
    },
    {
      title: 'Images',
      render: w =>
        (spec(w).template?.spec?.containers ?? [])
          .map((c: AnyObject) => c.image)
          .join(', '),
    },
  ];
  return (
    <Table<ClusterObject>
      title={`Workloads (${props.workloads.length})`}
      options={{
        paging: props.workloads.length > 20,
        pageSize: 20,
        search: true,
      }}
      columns={columns}
      data={props.workloads}
      emptyContent={<div style={{ padding: 16 }}>{empty('workloads')}</div>}
    />
  );
}

export function HelmReleasesTable(props: { releases: HelmRelease[] }) {
  const columns: TableColumn<HelmRelease>[] = [
    { title: 'Release', field: 'name', highlight: true },
    { title: 'Namespace', field: 'namespace' },
    { title: 'Chart', render: r => r.chart ?? '—' },
    { title: 'App version', render: r => r.appVersion ?? '—' },
    {
      title: 'Objects',
      render: r => `${r.objectCount} (${r.kinds.join(', ')})`,
    },
  ];
  return (
    <Table<HelmRelease>
      title={`Helm releases (${props.releases.length})`}
      options={{ paging: false, search: false }}
      columns={columns}
      data={props.releases}
      emptyContent={
        <div style={{ padding: 16 }}>
          No Helm releases found. Tollgate reads them from the meta.helm.sh
          annotations Helm puts on the objects it installs.
        </div>
      }
    />
  );
}
