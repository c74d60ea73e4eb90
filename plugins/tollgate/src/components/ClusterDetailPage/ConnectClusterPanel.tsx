import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { CodeSnippet, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AgentInfo,
  AgentTokenGrant,
  Cluster,
} from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef } from '../../api';

/** The exact command that installs the agent with this cluster's token. */
export function helmInstallCommand(
  backendUrl: string,
  clusterId: string,
  token: string,
) {
  return [
    'helm install tollgate-agent ./charts/tollgate-agent \\',
    '  --namespace tollgate-system --create-namespace \\',
    `  --set backend.url=${backendUrl} \\`,
    `  --set clusterId=${clusterId} \\`,
    `  --set token=${token}`,
  ].join('\n');
}

/** Creates (or rotates) the agent token and shows the install command once. */
export function ConnectClusterPanel(props: {
  cluster: Cluster;
  agent: AgentInfo;
  onTokenIssued: () => void;
}) {
  const api = useApi(tollgateApiRef);
  const [grant, setGrant] = useState<
    AgentTokenGrant & { backendUrl: string }
  >();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const hasToken =
    Boolean(props.agent.tokenCreatedAt) && props.agent.status !== 'revoked';

  const issue = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const [issued, backendUrl] = await Promise.all([
        api.issueAgentToken(props.cluster.id),
        api.getBackendUrl(),
      ]);
      setGrant({ ...issued, backendUrl });
      props.onTokenIssued();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Connect this cluster">
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      {grant ? (
        <>
          <Alert severity="warning">
            Copy this command now: the token is shown only once. Tollgate keeps
            only its hash.
            {grant.previousTokenExpiresAt &&
              ` The previous token keeps working until ${new Date(
                grant.previousTokenExpiresAt,
              ).toLocaleString()}.`}
          </Alert>
          <Typography variant="body2" paragraph style={{ marginTop: 16 }}>
            Run it with a kubeconfig for <strong>{props.cluster.name}</strong>.
            The agent only reads (get, list, watch; never Secrets) and pushes to
            Tollgate over HTTPS.
          </Typography>
          <CodeSnippet
            language="bash"
            text={helmInstallCommand(
              grant.backendUrl,
              props.cluster.id,
              grant.token,
            )}
            showCopyCodeButton
          />
        </>
      ) : (
        <>
          <Typography variant="body2" paragraph>
            {hasToken
              ? 'This cluster has an agent token. Rotate it to get a new install command; the old token keeps working for a grace period so the running agent is not cut off.'
              : 'Install the read-only Tollgate agent in this cluster with Helm. Create a token first; Tollgate then shows the exact helm install command.'}
          </Typography>
          <Button
            variant="contained"
            color="primary"
            onClick={issue}
            disabled={busy}
          >
            {hasToken ? 'Rotate token' : 'Create agent token'}
          </Button>
        </>
      )}
    </InfoCard>
  );
}
