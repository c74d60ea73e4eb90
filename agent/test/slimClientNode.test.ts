import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const SLIM = new URL('../src/kube/slimClientNode.ts', import.meta.url).href;
const APP = new URL('../src/app.ts', import.meta.url).href;

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://kube.example:6443
users:
- name: u
  user:
    token: kube-token
contexts:
- name: c
  context:
    cluster: c
    user: u
current-context: c
`;

// A fresh process, as main.ts starts one: the hook must be in place before
// client-node loads. A second hook records every module that gets loaded.
const SCRIPT = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.push(resolved.url);
    return resolved;
  },
});
const { slimClientNode } = await import(${JSON.stringify(SLIM)});
slimClientNode();
await import(${JSON.stringify(APP)});
const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
const kubeConfig = new KubeConfig();
kubeConfig.loadFromString(${JSON.stringify(KUBECONFIG)});
const options = {};
await kubeConfig.applyToHTTPSOptions(options);
console.log(JSON.stringify({ loaded, headers: options.headers }));
`;

test('the agent loads KubeConfig and Watch without client-node’s generated API and model classes', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', SCRIPT],
    { cwd: new URL('..', import.meta.url).pathname },
  );
  const { loaded, headers } = JSON.parse(stdout) as {
    loaded: string[];
    headers: Record<string, string>;
  };
  const clientNode = loaded.filter(url =>
    url.includes('/@kubernetes/client-node/dist/'),
  );
  assert.ok(clientNode.some(url => url.endsWith('/dist/config.js')));
  assert.ok(clientNode.some(url => url.endsWith('/dist/watch.js')));
  // What config.js needs from the generated code, through clientNodeGen.ts.
  assert.ok(clientNode.some(url => url.endsWith('/dist/gen/configuration.js')));
  const generated = clientNode.filter(url =>
    /\/dist\/(index|api|gen\/index)\.js$|\/dist\/gen\/(models|types)\/|\/dist\/gen\/apis\/\w+Api\.js$/.test(
      url,
    ),
  );
  assert.deepEqual(generated, []);
  assert.equal(headers.Authorization, 'Bearer kube-token');
});
