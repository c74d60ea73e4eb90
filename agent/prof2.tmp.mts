import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import http from 'node:http';
const [url, mode] = process.argv.slice(2);
const kc = new KubeConfig();
kc.loadFromClusterAndUser(
  { name: 'c', server: url, skipTLSVerify: true },
  { name: 'u', token: 'x' },
);
const core = kc.makeApiClient(CoreV1Api);
const mem = () => {
  const m = process.memoryUsage();
  return `rss=${(m.rss / 2 ** 20) | 0} heap=${(m.heapUsed / 2 ** 20) | 0}/${
    (m.heapTotal / 2 ** 20) | 0
  } ext=${(m.external / 2 ** 20) | 0}`;
};
function rawGet(path: string): Promise<any> {
  return new Promise(async (resolve, reject) => {
    const opts: any = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    const req = http.get(url + path, { headers: opts.headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve(JSON.parse(Buffer.concat(chunks).toString())),
      );
    });
    req.on('error', reject);
  });
}
console.log('start', mem());
const t = performance.now();
let cont: string | undefined;
let n = 0;
do {
  if (mode === 'typed') {
    const l = await core.listPodForAllNamespaces({
      limit: 500,
      _continue: cont,
    });
    n += l.items.length;
    cont = l.metadata?._continue;
  } else {
    const l = await rawGet(
      `/api/v1/pods?limit=500${
        cont ? '&continue=' + encodeURIComponent(cont) : ''
      }`,
    );
    n += l.items.length;
    cont = l.metadata.continue;
  }
} while (cont);
console.log(mode, n, Math.round(performance.now() - t) + 'ms', mem());
global.gc?.();
await new Promise(r => setTimeout(r, 500));
console.log('after gc', mem());
