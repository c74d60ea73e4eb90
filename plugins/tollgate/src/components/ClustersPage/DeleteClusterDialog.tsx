import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import type { Cluster } from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef } from '../../api';

/** Asks before a cluster is removed; nothing in the cluster itself changes. */
export function DeleteClusterDialog<
  T extends Pick<Cluster, 'id' | 'name'>,
>(props: {
  cluster?: T;
  onClose: () => void;
  onDeleted: (cluster: T) => void;
}) {
  const api = useApi(tollgateApiRef);
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const { cluster } = props;

  const close = () => {
    setError(undefined);
    props.onClose();
  };

  const confirm = async () => {
    if (!cluster) return;
    setDeleting(true);
    try {
      await api.deleteCluster(cluster.id);
      props.onDeleted(cluster);
      close();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Dialog
      open={Boolean(cluster)}
      onClose={close}
      aria-labelledby="delete-cluster-title"
    >
      <DialogTitle id="delete-cluster-title">
        Delete cluster {cluster?.name}?
      </DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <DialogContentText>
          Tollgate forgets this cluster and revokes its agent's access. Nothing
          in the cluster itself changes; you can register it again later.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button
          onClick={confirm}
          color="secondary"
          variant="contained"
          disabled={deleting}
        >
          {deleting ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
