import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ENVIRONMENTS_ANNOTATION,
  parseTollgateAnnotations,
  type WorkloadEnvironment,
} from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef, type PromotionDetails } from '../../api';
import { PromotionView } from '../promotion/PromotionView';
import { PromotionTable } from '../promotion/PromotionHistory';

const useStyles = makeStyles(theme => ({
  picker: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  select: { minWidth: 220 },
}));

type Annotations =
  | { environments: WorkloadEnvironment[]; error?: undefined }
  | { environments: WorkloadEnvironment[]; error: string };

function readAnnotations(
  name: string,
  annotations?: Record<string, string>,
): Annotations {
  try {
    return {
      environments: parseTollgateAnnotations(name, annotations).environments,
    };
  } catch (error) {
    return { environments: [], error: (error as Error).message };
  }
}

/** The entity's Promotion tab: preview a promotion, read it, decide on it. */
export function EntityPromotionContent() {
  const { entity } = useEntity();
  const api = useApi(tollgateApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { environments, error: annotationError } = useMemo(
    () => readAnnotations(entity.metadata.name, entity.metadata.annotations),
    [entity],
  );
  const [searchParams, setSearchParams] = useSearchParams();
  const openId = searchParams.get('promotion') ?? undefined;

  // What was just previewed or approved, so it shows without a refetch.
  const [current, setCurrent] = useState<PromotionDetails>();
  const opened = useAsync(async () => {
    if (!openId) return undefined;
    if (current?.promotion_id === openId) return current;
    return api.getPromotion(openId);
  }, [api, openId, current]);

  const history = useAsyncRetry(
    () => api.listPromotions({ entityRef, limit: 50 }),
    [api, entityRef],
  );

  const open = (promotion: PromotionDetails | { promotion_id: string }) => {
    const next = new URLSearchParams(searchParams);
    next.set('promotion', promotion.promotion_id);
    setSearchParams(next);
  };

  if (annotationError) {
    return (
      <WarningPanel
        severity="error"
        title="Tollgate annotations need fixing"
        message={annotationError}
      />
    );
  }
  if (environments.length < 2) {
    return (
      <EmptyState
        missing="field"
        title="Declare at least two environments to preview a promotion"
        description={`Add the ${ENVIRONMENTS_ANNOTATION} annotation with the environments in promotion order, e.g. "staging=my-staging-cluster/my-namespace, production=my-production-cluster/my-namespace".`}
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <PreviewForm
          environments={environments}
          entityRef={entityRef}
          onPreviewed={promotion => {
            setCurrent(promotion);
            open(promotion);
            history.retry();
          }}
        />
      </Grid>
      {openId && (
        <Grid item xs={12}>
          {opened.loading && <Progress />}
          {opened.error && (
            <ResponseErrorPanel
              title="Could not open this promotion"
              error={opened.error}
            />
          )}
          {opened.value && (
            <PromotionView
              promotion={opened.value}
              onChanged={updated => {
                setCurrent(updated);
                history.retry();
              }}
            />
          )}
        </Grid>
      )}
      <Grid item xs={12}>
        {history.error && (
          <ResponseErrorPanel
            title="Could not load this workload's promotions"
            error={history.error}
          />
        )}
        {!history.error && history.loading && !history.value && <Progress />}
        {!history.error && !(history.loading && !history.value) && (
          <PromotionTable
            title="Promotion history"
            items={history.value?.items ?? []}
            onOpen={open}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                No promotion has been previewed for this workload yet. Pick two
                environments above and select Preview.
              </Typography>
            }
          />
        )}
      </Grid>
    </Grid>
  );
}

function EnvironmentSelect(props: {
  id: string;
  label: string;
  environments: WorkloadEnvironment[];
  value: string;
  onChange: (name: string) => void;
  disabled: boolean;
}) {
  const classes = useStyles();
  const labelId = `${props.id}-label`;
  return (
    <FormControl className={classes.select} variant="outlined" size="small">
      <InputLabel id={labelId}>{props.label}</InputLabel>
      <Select
        labelId={labelId}
        label={props.label}
        value={props.value}
        onChange={e => props.onChange(e.target.value as string)}
        disabled={props.disabled}
      >
        {props.environments.map(env => (
          <MenuItem key={env.name} value={env.name}>
            {`${env.name} (${env.cluster}/${env.namespace})`}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function PreviewForm(props: {
  environments: WorkloadEnvironment[];
  entityRef: string;
  onPreviewed: (promotion: PromotionDetails) => void;
}) {
  const classes = useStyles();
  const api = useApi(tollgateApiRef);
  const { environments } = props;
  const [source, setSource] = useState(environments[0].name);
  const [target, setTarget] = useState(environments[1].name);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      const promotion = await api.previewPromotion({
        entityRef: props.entityRef,
        source: { environment: source },
        target: { environment: target },
      });
      props.onPreviewed(promotion);
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  const onSourceChange = (value: string) => {
    setSource(value);
    // Default to the next environment in promotion order.
    const index = environments.findIndex(e => e.name === value);
    const next = environments[index + 1];
    if (next) setTarget(next.name);
  };

  return (
    <InfoCard
      title="Preview a promotion"
      subheader="Compares what runs in the source with the target, prices both and checks what gets worse. Nothing is changed."
    >
      <div className={classes.picker}>
        <EnvironmentSelect
          id="tollgate-source"
          label="From (source)"
          environments={environments}
          value={source}
          onChange={onSourceChange}
          disabled={running}
        />
        <EnvironmentSelect
          id="tollgate-target"
          label="To (target)"
          environments={environments}
          value={target}
          onChange={setTarget}
          disabled={running}
        />
        <Button
          variant="contained"
          color="primary"
          startIcon={<PlayArrowIcon />}
          onClick={run}
          disabled={running || source === target}
        >
          Preview
        </Button>
      </div>
      {source === target && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Pick two different environments.
        </Typography>
      )}
      {running && (
        <div role="status" aria-live="polite" style={{ marginTop: 16 }}>
          <Typography variant="body2">
            Previewing {source} → {target}: reading both sides, diffing, pricing
            and checking risks…
          </Typography>
          <Progress />
        </div>
      )}
      {error && (
        <div style={{ marginTop: 16 }}>
          <ResponseErrorPanel
            title={`The preview failed: ${errorMessage(error)}`}
            error={error}
          />
        </div>
      )}
    </InfoCard>
  );
}
