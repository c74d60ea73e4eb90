// Connects the demo clusters the way a user would: signs in as the demo's
// guest (admin), creates
// an agent token for each cluster through the Tollgate API, and runs the real
// agent in --from-files mode on examples/clusters/<environment>.
// Started by .ci/start once the backend answers; stops its agents on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const backend = process.env.TOLLGATE_DEMO_BACKEND ?? 'http://localhost:7007';
const demoClusters = {
  'demo-staging': 'staging',
  'demo-production': 'production',
};

async function waitForBackend() {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${backend}/api/tollgate/health`).then(
      r => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error(
    `The backend at ${backend} did not come up within 10 minutes`,
  );
}

// Right after the backend starts, the catalog may not have read
// examples/org.yaml yet, and signing in as its guest answers 404.
async function guestToken() {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const res = await fetch(`${backend}/api/auth/demo/refresh`, {
      headers: {
        'x-requested-with': 'XMLHttpRequest',
        'x-tollgate-demo-user': 'guest',
      },
    });
    if (res.ok) return (await res.json()).backstageIdentity.token;
    if (res.status !== 404 || Date.now() > deadline)
      throw new Error(
        `Signing in as the demo's guest failed: ${
          res.status
        } ${await res.text()}`,
      );
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

async function api(token, method, path) {
  const res = await fetch(`${backend}/api/tollgate${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok)
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function startAgent(cluster, agentToken, folder) {
  const tokenFile = join(
    mkdtempSync(join(tmpdir(), 'tollgate-demo-')),
    'token',
  );
  writeFileSync(tokenFile, agentToken, { mode: 0o600 });
  return spawn(
    process.execPath,
    [
      join(root, 'agent/src/main.ts'),
      `--backend-url=${backend}/api/tollgate`,
      `--cluster-id=${cluster.id}`,
      `--token-file=${tokenFile}`,
      `--from-files=${join(root, 'examples/clusters', folder)}`,
      '--port=0',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

await waitForBackend();
const token = await guestToken();
const { items } = await api(token, 'GET', '/v1/clusters');
const agents = [];
for (const [name, folder] of Object.entries(demoClusters)) {
  const cluster = items.find(c => c.name === name);
  if (!cluster)
    throw new Error(
      `Cluster ${name} is missing: is tollgate.clusters in app-config.yaml?`,
    );
  const grant = await api(
    token,
    'POST',
    `/v1/clusters/${cluster.id}/agent-token`,
  );
  agents.push(startAgent(cluster, grant.token, folder));
  console.log(`Demo agent for ${name} feeds examples/clusters/${folder}`);
}
const stop = () => agents.forEach(agent => agent.kill('SIGTERM'));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
