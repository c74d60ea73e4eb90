// What @kubernetes/client-node's dist/gen/index.js exports, less its
// generated API and model classes (types/ObjectParamAPI.js and
// models/all.js). See slimClientNode.ts for why and when it stands in.
export * from '@kubernetes/client-node/dist/gen/http/http.js';
export * from '@kubernetes/client-node/dist/gen/auth/auth.js';
export { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js';
export * from '@kubernetes/client-node/dist/gen/apis/exception.js';
export * from '@kubernetes/client-node/dist/gen/servers.js';
export { RequiredError } from '@kubernetes/client-node/dist/gen/apis/baseapi.js';
export { Observable } from '@kubernetes/client-node/dist/gen/rxjsStub.js';
