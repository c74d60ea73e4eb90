import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useParams } from 'react-router-dom';
import {
  Content,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { tollgateApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { PROVIDER_LABELS } from '../ClustersPage/providerLabels';
import { AgentStatusLabel } from './AgentStatusLabel';
import { ConnectClusterPanel } from './ConnectClusterPanel';
import {
  HelmReleasesTable,
  NamespacesCard,
  NodesTable,
  WorkloadsTable,
} from './InventoryTables';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** One cluster: its agent, what runs in it, and how to connect it. */
export function ClusterDetailPage() {
  const { clusterId = '' } = useParams();
  const api = useApi(tollgateApiRef);
  const clustersLink = useRouteRef(rootRouteRef);
  const state = useAsyncRetry(async () => {
    const [cluster, agent, objects, releases] = await Promise.all([
      api.getCluster(clusterId),
      api.getAgentInfo(clusterId),
      api.listObjects(clusterId),
      api.listHelmReleases(clusterId),
    ]);
    return { cluster, agent, objects, releases };
  }, [api, clusterId]);

  if (state.loading && !state.value) {
    return <Progress />;
  }
  if (state.error || !state.value) {
    return (
      <Page themeId="tool">
        <Header title="Cluster" />
        <Content>
          <ResponseErrorPanel
            title="Could not load this cluster"
            error={state.error ?? new Error('Not found')}
          />
          <Link to={clustersLink()}>Back to all clusters</Link>
        </Content>
      </Page>
    );
  }

  const { cluster, agent, objects, releases } = state.value;
  const ofKind = (...kinds: string[]) =>
    objects.filter(o => kinds.includes(o.kind));

  return (
    <Page themeId="tool">
      <Header title={cluster.displayName} subtitle={cluster.name}>
        <HeaderLabel
          label="Provider"
          value={PROVIDER_LABELS[cluster.provider]}
        />
        <HeaderLabel label="Region" value={cluster.region} />
        <HeaderLabel label="Environment" value={cluster.environment} />
      </Header>
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            <InfoCard title="Agent">
              <StructuredMetadataTable
                metadata={{
                  Status: <AgentStatusLabel status={agent.status} />,
                  'Last heartbeat': agent.lastHeartbeatAt
                    ? new Date(agent.lastHeartbeatAt).toLocaleString()
                    : 'never',
                  'Kubernetes version': agent.kubernetesVersion ?? 'unknown',
                  'Agent version': agent.agentVersion ?? 'unknown',
                  'Objects tracked': Object.values(agent.objectCounts).reduce(
                    (sum, n) => sum + n,
                    0,
                  ),
                  ...(agent.lastError ? { 'Last error': agent.lastError } : {}),
                }}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <ConnectClusterPanel
              cluster={cluster}
              agent={agent}
              onTokenIssued={state.retry}
            />
          </Grid>
          <Grid item xs={12}>
            <NodesTable nodes={ofKind('Node')} />
          </Grid>
          <Grid item xs={12}>
            <NamespacesCard namespaces={ofKind('Namespace')} />
          </Grid>
          <Grid item xs={12}>
            <WorkloadsTable workloads={ofKind(...WORKLOAD_KINDS)} />
          </Grid>
          <Grid item xs={12}>
            <HelmReleasesTable releases={releases} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
