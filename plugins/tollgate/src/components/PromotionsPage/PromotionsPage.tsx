import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PROMOTION_STATES, SEVERITIES } from '@tollgate/plugin-tollgate-common';
import { tollgateApiRef, type PromotionFilter } from '../../api';
import { PromotionTable } from '../promotion/PromotionHistory';
import { PromotionView } from '../promotion/PromotionView';
import { RISK_LABELS } from '../promotion/RiskLevelBadge';
import { stateLabel } from '../promotion/ApprovalPanel';
import { Pager } from '../Pager';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
    alignItems: 'center',
  },
  field: { minWidth: 180 },
}));

const RISK_OPTIONS = ['none', ...SEVERITIES] as const;
const PAGE_SIZE = 50;

/** Every promotion, filterable; `?promotion=<id>` opens one. */
export function PromotionsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Promotions"
        subtitle="Every previewed promotion, its risk, cost and state"
      />
      <Content>
        <PromotionsContent />
      </Content>
    </Page>
  );
}

export function PromotionsContent() {
  const api = useApi(tollgateApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const openId = searchParams.get('promotion');
  const opened = useAsync(
    async () => (openId ? api.getPromotion(openId) : undefined),
    [api, openId],
  );

  const setOpen = (id?: string) => {
    const next = new URLSearchParams(searchParams);
    if (id) next.set('promotion', id);
    else next.delete('promotion');
    setSearchParams(next);
  };

  if (openId) {
    return (
      <>
        <Button
          startIcon={<ArrowBackIcon />}
          onClick={() => setOpen(undefined)}
          style={{ marginBottom: 16 }}
        >
          All promotions
        </Button>
        {opened.loading && <Progress />}
        {opened.error && (
          <ResponseErrorPanel
            title="Could not open this promotion"
            error={opened.error}
          />
        )}
        {opened.value && <PromotionView promotion={opened.value} />}
      </>
    );
  }
  return <PromotionList onOpen={setOpen} />;
}

/** A select over fixed options; the empty choice clears the filter. */
function FilterSelect<T extends string>(props: {
  id: string;
  label: string;
  anyLabel: string;
  value?: T;
  options: [T, string][];
  onChange: (value: T | undefined) => void;
}) {
  const classes = useStyles();
  return (
    <FormControl variant="outlined" size="small" className={classes.field}>
      <InputLabel id={props.id}>{props.label}</InputLabel>
      <Select
        labelId={props.id}
        label={props.label}
        value={props.value ?? ''}
        onChange={e => props.onChange((e.target.value as T) || undefined)}
      >
        <MenuItem value="">{props.anyLabel}</MenuItem>
        {props.options.map(([value, text]) => (
          <MenuItem key={value} value={value}>
            {text}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function PromotionList(props: { onOpen: (id: string) => void }) {
  const classes = useStyles();
  const api = useApi(tollgateApiRef);
  const [filter, setFilter] = useState<PromotionFilter>({});
  const [environment, setEnvironment] = useState('');
  const [author, setAuthor] = useState('');
  const [offset, setOffset] = useState(0);

  const list = useAsyncRetry(
    () => api.listPromotions({ ...filter, limit: PAGE_SIZE, offset }),
    [api, filter, offset],
  );

  const update = (patch: PromotionFilter) => {
    setOffset(0);
    setFilter(current => ({ ...current, ...patch }));
  };
  const applyText = () =>
    update({
      environment: environment.trim() || undefined,
      createdBy: author.trim() || undefined,
    });

  const total = list.value?.total ?? 0;
  return (
    <>
      <form
        className={classes.filters}
        aria-label="Filter promotions"
        onSubmit={e => {
          e.preventDefault();
          applyText();
        }}
      >
        <FilterSelect
          id="tollgate-state-filter"
          label="State"
          anyLabel="Any state"
          value={filter.state}
          options={PROMOTION_STATES.map(state => [state, stateLabel(state)])}
          onChange={state => update({ state })}
        />
        <FilterSelect
          id="tollgate-risk-filter"
          label="Risk"
          anyLabel="Any risk"
          value={filter.riskLevel}
          options={RISK_OPTIONS.map(level => [level, RISK_LABELS[level]])}
          onChange={riskLevel => update({ riskLevel })}
        />
        <TextField
          id="tollgate-environment-filter"
          label="Environment"
          variant="outlined"
          size="small"
          value={environment}
          onChange={e => setEnvironment(e.target.value)}
          onBlur={applyText}
          helperText="Source or target, e.g. production"
        />
        <TextField
          id="tollgate-author-filter"
          label="Author"
          variant="outlined"
          size="small"
          value={author}
          onChange={e => setAuthor(e.target.value)}
          onBlur={applyText}
          helperText="e.g. user:default/alice"
        />
        <Button type="submit" variant="outlined">
          Apply
        </Button>
      </form>
      {list.error && (
        <>
          <ResponseErrorPanel
            title="Could not load promotions"
            error={list.error}
          />
          <Button variant="outlined" onClick={list.retry}>
            Try again
          </Button>
        </>
      )}
      {!list.error && list.loading && !list.value && <Progress />}
      {!list.error && !(list.loading && !list.value) && (
        <>
          <PromotionTable
            title={`${total} promotion${total === 1 ? '' : 's'}`}
            items={list.value?.items ?? []}
            showEntity
            onOpen={item => props.onOpen(item.promotion_id)}
            options={{ paging: false }}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                {Object.values(filter).some(Boolean)
                  ? 'No promotion matches these filters. Clear a filter to see more.'
                  : "No promotion has been previewed yet. Open a component's Promotion tab to preview one."}
              </Typography>
            }
          />
          <Pager
            offset={offset}
            pageSize={PAGE_SIZE}
            total={total}
            onChange={setOffset}
            labels={{ back: 'Previous', forward: 'Next' }}
          />
        </>
      )}
    </>
  );
}
