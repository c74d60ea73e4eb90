import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The header in which the demo's sign-in page names the user to sign in as. */
export const DEMO_USER_HEADER = 'x-tollgate-demo-user';

interface DemoUser {
  userEntityRef: string;
  name: string;
}

interface DemoContext {
  enabled: boolean;
  users: string[];
}

/**
 * Demo sign-in: the portal's sign-in page picks one of the catalog users listed
 * in `auth.providers.demo.users` and names it in a header, so the demo can show
 * an author and an approver side by side. Anyone can set that header, so, like
 * Backstage's guest provider, it refuses to run outside development.
 */
export const demoUserAuthenticator = createProxyAuthenticator<
  DemoContext,
  DemoUser,
  undefined
>({
  async defaultProfileTransform(result) {
    return { profile: { displayName: result.name } };
  },
  initialize({ config }) {
    const allowOutsideDevelopment = config.getOptionalBoolean(
      'dangerouslyAllowOutsideDevelopment',
    );
    return {
      enabled:
        process.env.NODE_ENV === 'development' ||
        allowOutsideDevelopment === true,
      users: config.getStringArray('users'),
    };
  },
  async authenticate({ req }, { enabled, users }) {
    if (!enabled) {
      throw new NotAllowedError(
        "The demo sign-in provider only runs in development, unless 'auth.providers.demo.dangerouslyAllowOutsideDevelopment' is set",
      );
    }
    const name = req.header(DEMO_USER_HEADER);
    if (!name) {
      throw new AuthenticationError(
        `Choose a demo user: the ${DEMO_USER_HEADER} header is missing`,
      );
    }
    if (!users.includes(name)) {
      throw new NotAllowedError(
        `"${name}" is not a demo user; auth.providers.demo.users lists ${users.join(
          ', ',
        )}`,
      );
    }
    return { result: { name, userEntityRef: `user:default/${name}` } };
  },
});

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'tollgate-demo-users',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has('auth.providers.demo')) return;
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoUserAuthenticator,
            // The catalog user's groups become ownership claims, which is
            // what Tollgate's roles and approval policies match on.
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: result.userEntityRef,
              });
            },
          }),
        });
      },
    });
  },
});
