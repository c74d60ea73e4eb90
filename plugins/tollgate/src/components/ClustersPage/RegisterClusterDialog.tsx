import { useState, type FormEvent } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import {
  CLOUD_PROVIDERS,
  clusterCreateSchema,
  describeIssues,
  type Cluster,
} from '@tollgate/plugin-tollgate-common';
import { errorMessage, tollgateApiRef } from '../../api';
import { PROVIDER_LABELS } from './providerLabels';

const EMPTY_FORM = {
  name: '',
  displayName: '',
  provider: '',
  region: '',
  environment: '',
};
type FormField = keyof typeof EMPTY_FORM;

/** A form that validates each field as the backend will, then registers the cluster. */
export function RegisterClusterDialog(props: {
  open: boolean;
  onClose: () => void;
  onRegistered: (cluster: Cluster) => void;
}) {
  const api = useApi(tollgateApiRef);
  const [form, setForm] = useState(EMPTY_FORM);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const close = () => {
    setForm(EMPTY_FORM);
    setFieldErrors({});
    setSubmitError(undefined);
    props.onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = {
      ...form,
      displayName: form.displayName.trim() || undefined,
    };
    const parsed = clusterCreateSchema.safeParse(request);
    if (!parsed.success) {
      setFieldErrors(describeIssues(parsed.error));
      return;
    }
    setFieldErrors({});
    setSubmitting(true);
    try {
      const cluster = await api.createCluster(parsed.data);
      props.onRegistered(cluster);
      close();
    } catch (error) {
      setSubmitError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  const field = (name: FormField, label: string, helper: string) => ({
    id: `cluster-${name}`,
    name,
    label,
    value: form[name],
    error: Boolean(fieldErrors[name]),
    helperText: fieldErrors[name] ?? helper,
    fullWidth: true,
    variant: 'outlined' as const,
    margin: 'dense' as const,
    onChange: (e: { target: { value: string } }) =>
      setForm(current => ({ ...current, [name]: e.target.value })),
  });

  return (
    <Dialog
      open={props.open}
      onClose={close}
      aria-labelledby="register-cluster-title"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="register-cluster-title">
          Register a cluster
        </DialogTitle>
        <DialogContent>
          {submitError && (
            <Alert severity="error" role="alert">
              {submitError}
            </Alert>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} sm={6}>
              <TextField
                {...field(
                  'name',
                  'Name',
                  'Unique DNS label, such as prod-eu-west-1',
                )}
                required
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                {...field(
                  'displayName',
                  'Display name',
                  'Optional; defaults to the name',
                )}
              />
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                {...field('provider', 'Provider', 'Where the cluster runs')}
                select
                required
              >
                {CLOUD_PROVIDERS.map(provider => (
                  <MenuItem key={provider} value={provider}>
                    {PROVIDER_LABELS[provider]}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} sm={6}>
              <TextField
                {...field(
                  'region',
                  'Region',
                  'Such as eu-west-1 or us-central1',
                )}
                required
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                {...field(
                  'environment',
                  'Environment',
                  'Such as staging or production',
                )}
                required
              />
            </Grid>
          </Grid>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            {submitting ? 'Registering…' : 'Register'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
