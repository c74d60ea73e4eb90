import { useMemo, useState } from 'react';
import Button from '@material-ui/core/Button';
import ButtonBase from '@material-ui/core/ButtonBase';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
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
import { formatUsd } from '@tollgate/plugin-tollgate-common';
import {
  tollgateApiRef,
  type ClusterHealth,
  type FleetClusterSummary,
  type FleetSummary,
} from '../../api';
import { clusterRouteRef } from '../../routes';
import { AgentStatusLabel } from '../ClusterDetailPage/AgentStatusLabel';
import { DeleteClusterDialog } from './DeleteClusterDialog';
import { RegisterClusterDialog } from './RegisterClusterDialog';
import { PROVIDER_LABELS } from './providerLabels';
import {
  HEALTH_COLORS,
  HEALTH_ICONS,
  HEALTH_LABELS,
  HealthLabel,
} from './HealthLabel';

const HEALTH_ORDER: ClusterHealth[] = [
  'critical',
  'offline',
  'warning',
  'healthy',
];

const useStyles = makeStyles(theme => ({
  card: {
    width: '100%',
    display: 'block',
    textAlign: 'left',
    padding: theme.spacing(2),
    borderRadius: theme.shape.borderRadius,
    border: `2px solid transparent`,
  },
  selected: { borderColor: theme.palette.primary.main },
  count: { fontSize: '2rem', fontWeight: 700, lineHeight: 1.2 },
  cardLabel: { display: 'flex', alignItems: 'center', gap: 6 },
  filters: {
    display: 'flex',
    gap: theme.spacing(2),
    margin: theme.spacing(2, 0),
    flexWrap: 'wrap',
  },
  select: { minWidth: 180 },
  reasons: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/** The fleet: health at a glance, every cluster in a table; register and remove. */
export function ClustersPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Clusters"
        subtitle="The fleet's health, capacity and cost; the clusters Tollgate previews promotions for"
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
  const fleet = useAsyncRetry(() => api.getFleetSummary(), [api]);
  const [registering, setRegistering] = useState(false);
  const [deleting, setDeleting] = useState<FleetClusterSummary>();

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
  if (fleet.loading && !fleet.value) {
    body = <Progress />;
  } else if (fleet.error) {
    body = (
      <>
        <ResponseErrorPanel
          title={`Could not load clusters: ${fleet.error.message}`}
          error={fleet.error}
        />
        <Button variant="outlined" onClick={fleet.retry}>
          Try again
        </Button>
      </>
    );
  } else if (!fleet.value?.clusters.length) {
    body = (
      <EmptyState
        missing="data"
        title="No clusters registered yet"
        description="Register a cluster to start previewing promotions into it. Next, install the read-only Tollgate agent in it so Tollgate can see what runs there."
        action={registerButton}
      />
    );
  } else {
    body = <FleetOverview summary={fleet.value} onDelete={setDeleting} />;
  }

  return (
    <>
      <ContentHeader title="Fleet">
        {Boolean(fleet.value?.clusters.length) && registerButton}
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
          fleet.retry();
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
          fleet.retry();
        }}
      />
    </>
  );
}

function FleetOverview(props: {
  summary: FleetSummary;
  onDelete: (cluster: FleetClusterSummary) => void;
}) {
  const classes = useStyles();
  const { summary } = props;
  const [health, setHealth] = useState<ClusterHealth | ''>('');
  const [environment, setEnvironment] = useState('');
  const environments = useMemo(
    () => [...new Set(summary.clusters.map(c => c.environment))].sort(),
    [summary],
  );
  // The same array between renders, so the table only reprocesses its rows
  // when the data or a filter changed.
  const rows = useMemo(
    () =>
      summary.clusters.filter(
        c =>
          (!health || c.health === health) &&
          (!environment || c.environment === environment),
      ),
    [summary, health, environment],
  );

  return (
    <>
      <Grid container spacing={2} role="list" aria-label="Fleet health">
        <Grid item xs={6} sm={4} md role="listitem">
          <SummaryCard
            label="Total"
            count={summary.totals.total}
            selected={health === ''}
            onClick={() => setHealth('')}
          />
        </Grid>
        {(['healthy', 'warning', 'critical', 'offline'] as const).map(h => (
          <Grid item xs={6} sm={4} md role="listitem" key={h}>
            <SummaryCard
              label={HEALTH_LABELS[h]}
              health={h}
              count={summary.totals[h]}
              selected={health === h}
              onClick={() => setHealth(health === h ? '' : h)}
            />
          </Grid>
        ))}
      </Grid>
      <div className={classes.filters}>
        <FormControl variant="outlined" size="small" className={classes.select}>
          <InputLabel id="fleet-health-filter">Health</InputLabel>
          <Select
            labelId="fleet-health-filter"
            label="Health"
            value={health}
            onChange={e => setHealth(e.target.value as ClusterHealth | '')}
          >
            <MenuItem value="">Any health</MenuItem>
            {HEALTH_ORDER.map(h => (
              <MenuItem key={h} value={h}>
                {HEALTH_LABELS[h]}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl variant="outlined" size="small" className={classes.select}>
          <InputLabel id="fleet-environment-filter">Environment</InputLabel>
          <Select
            labelId="fleet-environment-filter"
            label="Environment"
            value={environment}
            onChange={e => setEnvironment(e.target.value as string)}
          >
            <MenuItem value="">Any environment</MenuItem>
            {environments.map(env => (
              <MenuItem key={env} value={env}>
                {env}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </div>
      <FleetTable clusters={rows} onDelete={props.onDelete} />
    </>
  );
}

function SummaryCard(props: {
  label: string;
  count: number;
  health?: ClusterHealth;
  selected: boolean;
  onClick: () => void;
}) {
  const classes = useStyles();
  const Icon = props.health ? HEALTH_ICONS[props.health] : undefined;
  return (
    <Paper variant="outlined">
      <ButtonBase
        className={`${classes.card} ${props.selected ? classes.selected : ''}`}
        onClick={props.onClick}
        aria-pressed={props.selected}
        aria-label={`${props.label}: ${props.count} cluster${
          props.count === 1 ? '' : 's'
        }${props.health ? `, show only ${props.label.toLowerCase()}` : ''}`}
      >
        <div
          className={classes.cardLabel}
          style={props.health ? { color: HEALTH_COLORS[props.health] } : {}}
        >
          {Icon && <Icon fontSize="small" aria-hidden />}
          <Typography variant="overline" component="span">
            {props.label}
          </Typography>
        </div>
        <div className={classes.count}>{props.count}</div>
      </ButtonBase>
    </Paper>
  );
}

function relativeAge(iso: string | null): string {
  if (!iso) return 'Never';
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

function FleetTable(props: {
  clusters: FleetClusterSummary[];
  onDelete: (cluster: FleetClusterSummary) => void;
}) {
  const classes = useStyles();
  const clusterLink = useRouteRef(clusterRouteRef);
  const columns: TableColumn<FleetClusterSummary>[] = [
    {
      title: 'Name',
      field: 'displayName',
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
      title: 'Health',
      field: 'health',
      customSort: (a, b) =>
        HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health),
      render: cluster => (
        <>
          <HealthLabel health={cluster.health} />
          {cluster.healthReasons.length > 0 && (
            <ul className={classes.reasons}>
              {cluster.healthReasons.map(reason => (
                <li key={reason}>
                  <Typography variant="caption">{reason}</Typography>
                </li>
              ))}
            </ul>
          )}
        </>
      ),
    },
    {
      title: 'Agent',
      field: 'agentStatus',
      render: cluster => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <AgentStatusLabel status={cluster.agentStatus} />
        </span>
      ),
    },
    {
      title: 'Last heartbeat',
      field: 'lastHeartbeatAt',
      render: cluster =>
        cluster.lastHeartbeatAt ? (
          <time
            dateTime={cluster.lastHeartbeatAt}
            title={new Date(cluster.lastHeartbeatAt).toLocaleString()}
          >
            {relativeAge(cluster.lastHeartbeatAt)}
          </time>
        ) : (
          'Never'
        ),
    },
    {
      title: 'Nodes',
      field: 'nodes.total',
      type: 'numeric',
      render: cluster => {
        const { total, ready, unknown } = cluster.nodes;
        if (total === 0) return '—';
        return `${ready} of ${total} ready${
          unknown ? `, ${unknown} not reporting` : ''
        }`;
      },
    },
    { title: 'Workloads', field: 'workloads', type: 'numeric' },
    {
      title: 'Monthly cost',
      field: 'monthlyCost',
      type: 'numeric',
      render: cluster =>
        cluster.monthlyCost === null ? (
          '—'
        ) : (
          <span
            title={
              cluster.costBasis === 'defaults'
                ? 'Some node types have no list price; priced at default unit rates'
                : 'Node list prices x 730 h'
            }
          >
            {formatUsd(cluster.monthlyCost)}
            {cluster.costBasis === 'defaults' ? ' *' : ''}
          </span>
        ),
    },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Provider',
      field: 'provider',
      render: cluster =>
        `${
          (PROVIDER_LABELS as Record<string, string>)[cluster.provider] ??
          cluster.provider
        } · ${cluster.region}`,
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
    <Table<FleetClusterSummary>
      title={`${props.clusters.length} cluster${
        props.clusters.length === 1 ? '' : 's'
      }`}
      options={{
        paging: props.clusters.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        search: true,
        padding: 'dense',
      }}
      columns={columns}
      data={props.clusters}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No cluster matches these filters. Pick another health or environment.
        </Typography>
      }
    />
  );
}
