import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import type { IdentityApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/**
 * The demo's users (examples/org.yaml); auth.providers.demo.users in
 * app-config.yaml must list the same names.
 */
export const DEMO_USERS = [
  {
    name: 'guest',
    title: 'Guest',
    role: 'Admin',
    description:
      'Connects clusters and previews promotions. Cannot approve its own previews.',
  },
  {
    name: 'sre-lead',
    title: 'SRE lead',
    role: 'Approver for production',
    description:
      'Member of group sre, which approves promotions into production.',
  },
  {
    name: 'developer',
    title: 'Developer',
    role: 'Viewer',
    description:
      'Reads clusters, previews and the audit log; approves nothing.',
  },
] as const;

const STORAGE_KEY = 'tollgate-demo-user';
const HEADER = 'x-tollgate-demo-user';

/** Signing out forgets the chosen user, so the next visit asks again. */
function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    async signOut() {
      localStorage.removeItem(STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * Sign-in for the local demo: pick who you are, so an author and an approver
 * can work side by side (a private window for the second one). Production
 * portals configure a real sign-in provider instead.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const [user, setUser] = useState(() => localStorage.getItem(STORAGE_KEY));
  const choose = (name: string | null) => {
    if (name) localStorage.setItem(STORAGE_KEY, name);
    else localStorage.removeItem(STORAGE_KEY);
    setUser(name);
  };

  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="demo"
        headers={{ [HEADER]: user }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Tollgate demo" />
            <Content>
              <WarningPanel
                severity="error"
                title={`Could not sign in as ${user}`}
                message={error?.message}
              />
              <Button
                variant="outlined"
                onClick={() => choose(null)}
                style={{ marginTop: 16 }}
              >
                Choose another user
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="Tollgate demo"
        subtitle="Choose who you are. Use a private window to be a second user at the same time."
      />
      <Content>
        <Grid container spacing={3}>
          {DEMO_USERS.map(demoUser => (
            <Grid item xs={12} md={4} key={demoUser.name}>
              <InfoCard
                title={demoUser.title}
                subheader={`user:default/${demoUser.name} · ${demoUser.role}`}
                actions={
                  <Button
                    variant="contained"
                    color="primary"
                    onClick={() => choose(demoUser.name)}
                  >
                    Sign in as {demoUser.title}
                  </Button>
                }
              >
                <Typography variant="body2">{demoUser.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
