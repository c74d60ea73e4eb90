import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatUsd,
  parseTollgateAnnotations,
} from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef } from '../../api';
import { formatTime } from '../promotion/format';
import { costByResource, costTrend, latestPerEnvironment } from './costData';

const LINE_STYLES = [
  { stroke: '#1565c0', strokeDasharray: undefined },
  { stroke: '#c62828', strokeDasharray: '6 3' },
  { stroke: '#2e7d32', strokeDasharray: '2 2' },
  { stroke: '#6a1b9a', strokeDasharray: '10 4 2 4' },
];

const RESOURCE_LABELS: Record<string, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  gpu: 'GPU',
  storage: 'Storage',
  'load-balancer': 'Load balancer',
};

function environmentOrder(
  name: string,
  annotations?: Record<string, string>,
): string[] {
  try {
    return parseTollgateAnnotations(name, annotations).environments.map(
      e => e.name,
    );
  } catch {
    return [];
  }
}

/** The entity's Cost tab: monthly cost per environment, trend, breakdown. */
export function EntityCostContent() {
  const { entity } = useEntity();
  const api = useApi(tollgateApiRef);
  const entityRef = stringifyEntityRef(entity);
  const order = useMemo(
    () => environmentOrder(entity.metadata.name, entity.metadata.annotations),
    [entity],
  );
  const list = useAsync(
    () => api.listPromotions({ entityRef, limit: 100 }),
    [api, entityRef],
  );

  if (list.loading) return <Progress />;
  if (list.error) {
    return (
      <ResponseErrorPanel
        title="Could not load this workload's cost"
        error={list.error}
      />
    );
  }
  const items = list.value?.items ?? [];
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No cost figures yet"
        description="Tollgate prices an environment when a promotion into it is previewed. Open the Promotion tab and preview one (for example staging → production) to see this workload's monthly cost here."
      />
    );
  }
  const perEnvironment = latestPerEnvironment(items, order);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard
          title="Monthly cost per environment"
          subheader="As it runs now, from the latest preview into each environment"
        >
          <Table size="small" aria-label="Monthly cost per environment">
            <TableHead>
              <TableRow>
                <TableCell>Environment</TableCell>
                <TableCell align="right">Per month</TableCell>
                <TableCell align="right">After pending promotion</TableCell>
                <TableCell>As of</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {perEnvironment.map(row => (
                <TableRow key={row.environment}>
                  <TableCell>{row.environment}</TableCell>
                  <TableCell align="right">{formatUsd(row.monthly)}</TableCell>
                  <TableCell align="right">
                    {formatUsd(row.projected)}
                  </TableCell>
                  <TableCell>{formatTime(row.previewedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {order
            .filter(env => !perEnvironment.some(r => r.environment === env))
            .map(env => (
              <Typography variant="body2" key={env} style={{ marginTop: 8 }}>
                {env}: not priced yet (no promotion into {env} has been
                previewed).
              </Typography>
            ))}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <CostTrend items={items} />
      </Grid>
      <Grid item xs={12}>
        <ResourceBreakdown
          environments={perEnvironment.map(r => ({
            environment: r.environment,
            promotionId: r.promotionId,
          }))}
        />
      </Grid>
    </Grid>
  );
}

function CostTrend(props: { items: Parameters<typeof costTrend>[0] }) {
  const { points, environments } = useMemo(
    () => costTrend(props.items),
    [props.items],
  );
  return (
    <InfoCard
      title="Cost trend"
      subheader="Monthly cost of each environment at every stored preview"
    >
      <div
        role="img"
        aria-label={`Line chart of monthly cost over ${
          points.length
        } previews for ${environments.join(', ')}`}
        style={{ width: '100%', height: 260 }}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis tickFormatter={v => `$${v}`} width={70} />
            <Tooltip formatter={(value: number) => formatUsd(value)} />
            <Legend />
            {environments.map((env, index) => (
              <Line
                key={env}
                type="monotone"
                dataKey={env}
                name={env}
                connectNulls
                isAnimationActive={false}
                strokeWidth={2}
                {...LINE_STYLES[index % LINE_STYLES.length]}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </InfoCard>
  );
}

function ResourceBreakdown(props: {
  environments: { environment: string; promotionId: string }[];
}) {
  const api = useApi(tollgateApiRef);
  const [index, setIndex] = useState(0);
  const selected = props.environments[index] ?? props.environments[0];
  const promotion = useAsync(
    () => api.getPromotion(selected.promotionId),
    [api, selected.promotionId],
  );
  return (
    <InfoCard
      title="Breakdown by resource"
      subheader="What the environment costs now, per resource and object"
    >
      <Tabs
        value={index}
        onChange={(_, value) => setIndex(value)}
        aria-label="Environment"
        indicatorColor="primary"
      >
        {props.environments.map(env => (
          <Tab key={env.environment} label={env.environment} />
        ))}
      </Tabs>
      {promotion.loading && <Progress />}
      {promotion.error && (
        <ResponseErrorPanel
          title="Could not load the breakdown"
          error={promotion.error}
        />
      )}
      {promotion.value && (
        <Grid container spacing={2} style={{ marginTop: 8 }}>
          <Grid item xs={12} md={4}>
            <Table size="small" aria-label="Cost by resource">
              <TableHead>
                <TableRow>
                  <TableCell>Resource</TableCell>
                  <TableCell align="right">Per month</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {costByResource(promotion.value).map(row => (
                  <TableRow key={row.resource}>
                    <TableCell>
                      {RESOURCE_LABELS[row.resource] ?? row.resource}
                    </TableCell>
                    <TableCell align="right">
                      {formatUsd(row.monthly)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Grid>
          <Grid item xs={12} md={8}>
            <Table size="small" aria-label="Cost by object">
              <TableHead>
                <TableRow>
                  <TableCell>Object</TableCell>
                  <TableCell>Resource</TableCell>
                  <TableCell align="right">Per month</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {promotion.value.estimated_cost.lines
                  .filter(line => line.baseline > 0)
                  .map((line, i) => (
                    <TableRow key={`${line.object}-${line.resource}-${i}`}>
                      <TableCell>{line.object}</TableCell>
                      <TableCell>
                        {RESOURCE_LABELS[line.resource] ?? line.resource}
                      </TableCell>
                      <TableCell align="right" title={line.formula?.baseline}>
                        {formatUsd(line.baseline)}
                      </TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </Grid>
        </Grid>
      )}
    </InfoCard>
  );
}
