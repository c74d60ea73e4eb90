import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import ErrorIcon from '@material-ui/icons/Error';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  AuditLogEntry,
  AuditLogFilter,
} from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef } from '../../api';
import { formatTime } from '../promotion/format';
import { Pager } from '../Pager';

const PAGE_SIZE = 50;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    marginBottom: theme.spacing(2),
  },
  chain: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  ok: { color: '#1b5e20' },
  broken: { color: '#b71c1c' },
  details: {
    fontFamily: 'monospace',
    fontSize: '0.75rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
  },
}));

/** The hash-chained audit log: filter, read, export, verify. */
export function AuditLogPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Audit log"
        subtitle="Every Tollgate state change, append-only and hash-chained"
      />
      <Content>
        <ChainStatus />
        <AuditLogContent />
      </Content>
    </Page>
  );
}

function ChainStatus() {
  const classes = useStyles();
  const api = useApi(tollgateApiRef);
  const verification = useAsyncRetry(() => api.verifyAuditLog(), [api]);
  let body;
  if (verification.loading) {
    body = (
      <>
        <Typography>Verifying the hash chain…</Typography>
        <Progress />
      </>
    );
  } else if (verification.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not verify the chain: ${errorMessage(
          verification.error,
        )}`}
        error={verification.error}
      />
    );
  } else if (verification.value?.ok) {
    body = (
      <Typography className={`${classes.chain} ${classes.ok}`} role="status">
        <VerifiedUserIcon aria-hidden /> Chain intact:{' '}
        {verification.value.checked} entries verified.
      </Typography>
    );
  } else if (verification.value) {
    const broken = verification.value.firstBroken;
    body = (
      <Typography className={`${classes.chain} ${classes.broken}`} role="alert">
        <ErrorIcon aria-hidden /> Chain broken at entry {broken?.id} (
        {broken?.reason}) after {verification.value.checked} entries checked.
        Entries from there on may have been altered: investigate before relying
        on them.
      </Typography>
    );
  }
  return (
    <div style={{ marginBottom: 16 }}>
      <InfoCard
        title="Chain status"
        action={
          <Button onClick={verification.retry} disabled={verification.loading}>
            Verify again
          </Button>
        }
      >
        {body}
      </InfoCard>
    </div>
  );
}

const FIELDS: { key: keyof AuditLogFilter; label: string; help: string }[] = [
  { key: 'actor', label: 'Actor', help: 'e.g. user:default/alice' },
  { key: 'action', label: 'Action', help: 'e.g. promotion.approve' },
  { key: 'targetType', label: 'Target type', help: 'e.g. promotion' },
  { key: 'targetId', label: 'Target id', help: '' },
];

function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function AuditLogContent() {
  const classes = useStyles();
  const api = useApi(tollgateApiRef);
  const alertApi = useApi(alertApiRef);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState<AuditLogFilter>({});
  const [offset, setOffset] = useState(0);
  const [exporting, setExporting] = useState<'csv' | 'json'>();

  const logs = useAsyncRetry(
    () => api.listAuditLogs({ ...filter, limit: PAGE_SIZE, offset }),
    [api, filter, offset],
  );

  const apply = () => {
    const next: AuditLogFilter = {};
    for (const { key } of FIELDS) {
      const value = draft[key]?.trim();
      if (value) (next as Record<string, string>)[key] = value;
    }
    const from = toIso(draft.from ?? '');
    const to = toIso(draft.to ?? '');
    if (from) next.from = from;
    if (to) next.to = to;
    setOffset(0);
    setFilter(next);
  };

  const download = async (format: 'csv' | 'json') => {
    setExporting(format);
    try {
      const { blob, filename } = await api.exportAuditLog(format, filter);
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = filename;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      URL.revokeObjectURL(url);
    } catch (e) {
      alertApi.post({
        message: `Export failed: ${errorMessage(e)}`,
        severity: 'error',
      });
    } finally {
      setExporting(undefined);
    }
  };

  const columns: TableColumn<AuditLogEntry>[] = [
    { title: '#', field: 'id', width: '70px' },
    {
      title: 'When',
      field: 'occurredAt',
      render: entry => (
        <time dateTime={entry.occurredAt}>{formatTime(entry.occurredAt)}</time>
      ),
    },
    { title: 'Actor', field: 'actor' },
    { title: 'Action', field: 'action' },
    {
      title: 'Target',
      render: entry => `${entry.targetType}/${entry.targetId}`,
    },
    { title: 'Source IP', field: 'sourceIp' },
    {
      title: 'Details',
      render: entry => (
        <pre className={classes.details}>{JSON.stringify(entry.details)}</pre>
      ),
    },
    {
      title: 'Hash',
      render: entry => (
        <code title={entry.hash}>{entry.hash.slice(0, 12)}…</code>
      ),
    },
  ];

  const total = logs.value?.total ?? 0;
  return (
    <>
      <form
        className={classes.filters}
        aria-label="Filter the audit log"
        onSubmit={e => {
          e.preventDefault();
          apply();
        }}
      >
        {FIELDS.map(field => (
          <TextField
            key={field.key}
            id={`audit-filter-${field.key}`}
            label={field.label}
            helperText={field.help || ' '}
            variant="outlined"
            size="small"
            value={draft[field.key] ?? ''}
            onChange={e => setDraft({ ...draft, [field.key]: e.target.value })}
          />
        ))}
        <TextField
          id="audit-filter-from"
          label="From"
          type="datetime-local"
          variant="outlined"
          size="small"
          InputLabelProps={{ shrink: true }}
          helperText="Inclusive"
          value={draft.from ?? ''}
          onChange={e => setDraft({ ...draft, from: e.target.value })}
        />
        <TextField
          id="audit-filter-to"
          label="To"
          type="datetime-local"
          variant="outlined"
          size="small"
          InputLabelProps={{ shrink: true }}
          helperText="Exclusive"
          value={draft.to ?? ''}
          onChange={e => setDraft({ ...draft, to: e.target.value })}
        />
        <Button type="submit" variant="contained" color="primary">
          Apply filters
        </Button>
        <Button
          startIcon={<GetAppIcon />}
          variant="outlined"
          onClick={() => download('csv')}
          disabled={Boolean(exporting)}
        >
          Export CSV
        </Button>
        <Button
          startIcon={<GetAppIcon />}
          variant="outlined"
          onClick={() => download('json')}
          disabled={Boolean(exporting)}
        >
          Export JSON
        </Button>
      </form>
      {logs.error && (
        <>
          <ResponseErrorPanel
            title={`Could not load the audit log: ${errorMessage(logs.error)}`}
            error={logs.error}
          />
          <Button variant="outlined" onClick={logs.retry}>
            Try again
          </Button>
        </>
      )}
      {!logs.error && logs.loading && !logs.value && <Progress />}
      {!logs.error && !(logs.loading && !logs.value) && (
        <>
          <Table<AuditLogEntry>
            title={`${total} entr${total === 1 ? 'y' : 'ies'}`}
            columns={columns}
            data={logs.value?.items ?? []}
            options={{ paging: false, search: false, padding: 'dense' }}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                {Object.keys(filter).length > 0
                  ? 'No entry matches these filters. Clear a filter to see more.'
                  : 'Nothing has been recorded yet. Register a cluster or preview a promotion and it shows here.'}
              </Typography>
            }
          />
          <Pager
            offset={offset}
            pageSize={PAGE_SIZE}
            total={total}
            onChange={setOffset}
            labels={{ back: 'Newer', forward: 'Older' }}
          />
        </>
      )}
    </>
  );
}
