/**
 * Isomorphic Tollgate types, permissions and validation.
 *
 * @packageDocumentation
 */
export * from './agentProtocol';
export * from './annotations';
export * from './audit';
export * from './clusters';
export * from './fleet';
export * from './inventory';
export * from './labelSelector';
export * from './permissionConditions';
export * from './permissions';
export * from './preview';
export * from './promotions';
export * from './workloadObjects';
