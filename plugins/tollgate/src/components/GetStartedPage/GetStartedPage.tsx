import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useObservable from 'react-use/esm/useObservable';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  CodeSnippet,
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { storageApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef } from '../../api';
import { clusterRouteRef } from '../../routes';
import { helmInstallCommand } from '../ClusterDetailPage/ConnectClusterPanel';
import { RegisterClusterDialog } from '../ClustersPage/RegisterClusterDialog';

/** What is remembered per user; never the token. */
export type GetStartedProgress = {
  clusterId?: string;
  /** 0 register, 1 token, 2 helm command, 3 heartbeat, 4 done. */
  step: number;
};

const BUCKET = 'tollgate';
const KEY = 'get-started';
const HEARTBEAT_POLL_MS = 5_000;

const STEPS = [
  'Register the cluster',
  'Create an agent token',
  'Install the agent with Helm',
  'Wait for the first heartbeat',
];

/** Connect a first cluster, step by step; progress is kept per user. */
export function GetStartedPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Get started"
        subtitle="Connect a Kubernetes cluster to Tollgate in four steps"
      />
      <Content>
        <GetStartedContent />
      </Content>
    </Page>
  );
}

function useProgress(): [
  GetStartedProgress | undefined,
  (next: GetStartedProgress) => void,
] {
  const storage = useApi(storageApiRef).forBucket(BUCKET);
  const snapshot = useObservable(
    storage.observe$<GetStartedProgress>(KEY),
    storage.snapshot<GetStartedProgress>(KEY),
  );
  const progress =
    snapshot.presence === 'unknown' ? undefined : snapshot.value ?? { step: 0 };
  return [progress, next => void storage.set(KEY, next)];
}

export function GetStartedContent() {
  const api = useApi(tollgateApiRef);
  const [progress, setProgress] = useProgress();
  const clusters = useAsync(() => api.listClusters(), [api]);
  if (!progress || clusters.loading) return <Progress />;
  if (clusters.error) {
    return (
      <ResponseErrorPanel
        title={`Could not load clusters: ${errorMessage(clusters.error)}`}
        error={clusters.error}
      />
    );
  }
  const cluster = clusters.value?.find(c => c.id === progress.clusterId);
  // A cluster deleted since: start over.
  const step = progress.clusterId && !cluster ? 0 : progress.step;
  return (
    <InfoCard title="Connect a cluster">
      <Stepper activeStep={step} orientation="vertical">
        <Step>
          <StepLabel>{STEPS[0]}</StepLabel>
          <StepContent>
            <RegisterStep
              clusters={clusters.value ?? []}
              onChosen={chosen =>
                setProgress({ clusterId: chosen.id, step: 1 })
              }
            />
          </StepContent>
        </Step>
        <Step>
          <StepLabel>
            {STEPS[1]}
            {cluster && step > 1 ? ` for ${cluster.name}` : ''}
          </StepLabel>
          <StepContent>
            {cluster && (
              <TokenStep
                cluster={cluster}
                onBack={() => setProgress({ step: 0 })}
                onIssued={() => setProgress({ clusterId: cluster.id, step: 2 })}
              />
            )}
          </StepContent>
        </Step>
        <Step>
          <StepLabel>{STEPS[2]}</StepLabel>
          <StepContent>
            {cluster && (
              <HelmStep
                cluster={cluster}
                onBack={() => setProgress({ clusterId: cluster.id, step: 1 })}
                onDone={() => setProgress({ clusterId: cluster.id, step: 3 })}
              />
            )}
          </StepContent>
        </Step>
        <Step>
          <StepLabel>{STEPS[3]}</StepLabel>
          <StepContent>
            {cluster && (
              <HeartbeatStep
                cluster={cluster}
                onBack={() => setProgress({ clusterId: cluster.id, step: 2 })}
                onConnected={() =>
                  setProgress({ clusterId: cluster.id, step: 4 })
                }
              />
            )}
          </StepContent>
        </Step>
      </Stepper>
      {step >= 4 && cluster && (
        <Done cluster={cluster} onRestart={() => setProgress({ step: 0 })} />
      )}
    </InfoCard>
  );
}

function RegisterStep(props: {
  clusters: Cluster[];
  onChosen: (cluster: Cluster) => void;
}) {
  const [registering, setRegistering] = useState(false);
  const [existing, setExisting] = useState('');
  return (
    <>
      <Typography paragraph>
        Tell Tollgate about the cluster: its name, cloud, region and the
        environment it serves (for example staging or production).
      </Typography>
      <Button
        variant="contained"
        color="primary"
        onClick={() => setRegistering(true)}
      >
        Register a cluster
      </Button>
      {props.clusters.length > 0 && (
        <div style={{ marginTop: 16, display: 'flex', gap: 16 }}>
          <FormControl
            variant="outlined"
            size="small"
            style={{ minWidth: 240 }}
          >
            <InputLabel id="get-started-existing">
              Or pick a registered one
            </InputLabel>
            <Select
              labelId="get-started-existing"
              label="Or pick a registered one"
              value={existing}
              onChange={e => setExisting(e.target.value as string)}
            >
              {props.clusters.map(c => (
                <MenuItem key={c.id} value={c.id}>
                  {c.displayName} ({c.name})
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <Button
            variant="outlined"
            disabled={!existing}
            onClick={() =>
              props.onChosen(props.clusters.find(c => c.id === existing)!)
            }
          >
            Continue with this cluster
          </Button>
        </div>
      )}
      <RegisterClusterDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={cluster => props.onChosen(cluster)}
      />
    </>
  );
}

// Tokens issued in this browser session, by cluster id. Deliberately not
// persisted: a reload means creating (rotating to) a new token.
const issuedTokens = new Map<string, { token: string; backendUrl: string }>();

function TokenStep(props: {
  cluster: Cluster;
  onBack: () => void;
  onIssued: () => void;
}) {
  const api = useApi(tollgateApiRef);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const [grant, backendUrl] = await Promise.all([
        api.issueAgentToken(props.cluster.id),
        api.getBackendUrl(),
      ]);
      // The token lives only in this page's memory; storage never sees it.
      issuedTokens.set(props.cluster.id, { token: grant.token, backendUrl });
      props.onIssued();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography paragraph>
        The agent in <strong>{props.cluster.name}</strong> authenticates with
        its own token. Tollgate shows it once and keeps only its hash. Creating
        a new token replaces an earlier one after a grace period.
      </Typography>
      {error && (
        <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
          {error}
        </Alert>
      )}
      <Button onClick={props.onBack} style={{ marginRight: 8 }}>
        Back
      </Button>
      <Button
        variant="contained"
        color="primary"
        onClick={issue}
        disabled={busy}
      >
        Create agent token
      </Button>
    </>
  );
}

function HelmStep(props: {
  cluster: Cluster;
  onBack: () => void;
  onDone: () => void;
}) {
  const issued = issuedTokens.get(props.cluster.id);
  if (!issued) {
    return (
      <>
        <Alert severity="info" style={{ marginBottom: 16 }}>
          The token is shown only once and this page was reloaded since it was
          created. Create a new token to see the install command again; the
          previous one keeps working for a grace period.
        </Alert>
        <Button variant="contained" color="primary" onClick={props.onBack}>
          Create a new token
        </Button>
      </>
    );
  }
  return (
    <>
      <Alert severity="warning" style={{ marginBottom: 16 }}>
        Copy this command now: the token is shown only once.
      </Alert>
      <Typography paragraph>
        Run it with a kubeconfig for <strong>{props.cluster.name}</strong>. The
        agent only reads (get, list, watch; never Secrets) and pushes to
        Tollgate over HTTPS.
      </Typography>
      <CodeSnippet
        language="bash"
        text={helmInstallCommand(
          issued.backendUrl,
          props.cluster.id,
          issued.token,
        )}
        showCopyCodeButton
      />
      <div style={{ marginTop: 16 }}>
        <Button onClick={props.onBack} style={{ marginRight: 8 }}>
          Back
        </Button>
        <Button variant="contained" color="primary" onClick={props.onDone}>
          I have run it
        </Button>
      </div>
    </>
  );
}

function HeartbeatStep(props: {
  cluster: Cluster;
  onBack: () => void;
  onConnected: () => void;
}) {
  const api = useApi(tollgateApiRef);
  const [status, setStatus] = useState<string>('waiting');
  const [error, setError] = useState<string>();
  const onConnected = useRef(props.onConnected);
  onConnected.current = props.onConnected;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const agent = await api.getAgentInfo(props.cluster.id);
        if (stopped) return;
        setError(undefined);
        setStatus(agent.status);
        if (agent.status === 'connected') {
          onConnected.current();
          return;
        }
      } catch (e) {
        if (!stopped) setError(errorMessage(e));
      }
      if (!stopped) timer = setTimeout(poll, HEARTBEAT_POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, props.cluster.id]);

  return (
    <>
      <div role="status" aria-live="polite">
        <Typography paragraph>
          Waiting for the agent in <strong>{props.cluster.name}</strong> to
          report in (checked every {HEARTBEAT_POLL_MS / 1000} s; agent status:{' '}
          {status}).
        </Typography>
      </div>
      <Progress />
      {error && (
        <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
          {error}
        </Alert>
      )}
      <Typography variant="body2" style={{ marginTop: 16 }}>
        Nothing after a minute? Check the agent's logs with{' '}
        <code>kubectl -n tollgate-system logs deploy/tollgate-agent</code>: it
        must reach this Backstage's URL over HTTPS.
      </Typography>
      <Button onClick={props.onBack} style={{ marginTop: 8 }}>
        Back
      </Button>
    </>
  );
}

function Done(props: { cluster: Cluster; onRestart: () => void }) {
  const clusterLink = useRouteRef(clusterRouteRef);
  return (
    <Alert severity="success" role="status">
      <strong>{props.cluster.name} is connected.</strong> Tollgate now sees what
      runs there.{' '}
      <Link to={clusterLink({ clusterId: props.cluster.id })}>
        Open the cluster
      </Link>
      , or{' '}
      <Button size="small" onClick={props.onRestart}>
        connect another cluster
      </Button>
    </Alert>
  );
}
