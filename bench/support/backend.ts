/**
 * A Backstage backend with only the Tollgate plugin, for the ingest
 * benchmark. Run with Backstage's TypeScript hook:
 * `node --require @backstage/cli/config/nodeTransform.cjs bench/support/backend.ts --config <file>`.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@tollgate/plugin-tollgate-backend'));
backend.start();
