import { useState } from 'react';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import DeleteIcon from '@material-ui/icons/Delete';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef } from '../../api';
import { clusterRouteRef } from '../../routes';
import { DeleteClusterDialog } from './DeleteClusterDialog';
import { RegisterClusterDialog } from './RegisterClusterDialog';
import { PROVIDER_LABELS } from './providerLabels';

/** The fleet's clusters: list, register and remove. */
export function ClustersPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Clusters"
        subtitle="The Kubernetes clusters Tollgate previews promotions for"
      />
      <Content>
        <ClustersContent />
      </Content>
    </Page>
  );
}

export function ClustersContent() {
  const api = useApi(tollgateApiRef);
  const alertApi = useApi(alertApiRef);
  const clusters = useAsyncRetry(() => api.listClusters(), [api]);
  const [registering, setRegistering] = useState(false);
  const [deleting, setDeleting] = useState<Cluster>();

  const registerButton = (
    <Button
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
      onClick={() => setRegistering(true)}
    >
      Register cluster
    </Button>
  );

  let body;
  if (clusters.loading && !clusters.value) {
    body = <Progress />;
  } else if (clusters.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not load clusters"
          error={clusters.error}
        />
        <Button variant="outlined" onClick={clusters.retry}>
          Try again
        </Button>
      </>
    );
  } else if (!clusters.value?.length) {
    body = (
      <EmptyState
        missing="data"
        title="No clusters registered yet"
        description="Register a cluster to start previewing promotions into it. Next, install the read-only Tollgate agent in it so Tollgate can see what runs there."
        action={registerButton}
      />
    );
  } else {
    body = <ClusterTable clusters={clusters.value} onDelete={setDeleting} />;
  }

  return (
    <>
      <ContentHeader title="Registered clusters">
        {Boolean(clusters.value?.length) && registerButton}
      </ContentHeader>
      {body}
      <RegisterClusterDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={cluster => {
          alertApi.post({
            message: `Registered cluster ${cluster.name}`,
            severity: 'success',
            display: 'transient',
          });
          clusters.retry();
        }}
      />
      <DeleteClusterDialog
        cluster={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={cluster => {
          alertApi.post({
            message: `Deleted cluster ${cluster.name}`,
            severity: 'success',
            display: 'transient',
          });
          clusters.retry();
        }}
      />
    </>
  );
}

function ClusterTable(props: {
  clusters: Cluster[];
  onDelete: (cluster: Cluster) => void;
}) {
  const clusterLink = useRouteRef(clusterRouteRef);
  const columns: TableColumn<Cluster>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: cluster => (
        <>
          <Link to={clusterLink({ clusterId: cluster.id })}>
            {cluster.displayName}
          </Link>
          {cluster.displayName !== cluster.name && (
            <div>
              <code>{cluster.name}</code>
            </div>
          )}
        </>
      ),
    },
    {
      title: 'Provider',
      field: 'provider',
      render: cluster => PROVIDER_LABELS[cluster.provider] ?? cluster.provider,
    },
    { title: 'Region', field: 'region' },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Created',
      field: 'createdAt',
      defaultSort: 'desc',
      render: cluster => (
        <time dateTime={cluster.createdAt} title={cluster.createdAt}>
          {new Date(cluster.createdAt).toLocaleString()}
        </time>
      ),
    },
    {
      title: 'Actions',
      sorting: false,
      width: '80px',
      render: cluster => (
        <Tooltip title={`Delete ${cluster.name}`}>
          <IconButton
            aria-label={`Delete cluster ${cluster.name}`}
            onClick={() => props.onDelete(cluster)}
          >
            <DeleteIcon />
          </IconButton>
        </Tooltip>
      ),
    },
  ];

  return (
    <Table<Cluster>
      title={`${props.clusters.length} cluster${
        props.clusters.length === 1 ? '' : 's'
      }`}
      options={{
        paging: props.clusters.length > 20,
        pageSize: 20,
        search: true,
      }}
      columns={columns}
      data={props.clusters}
    />
  );
}
