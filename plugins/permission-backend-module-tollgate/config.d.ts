export interface Config {
  tollgate?: {
    /** Tollgate's default permission policy (this module). */
    rbac?: {
      /**
       * Roles granted to users and groups. A grant with `environments` and/or
       * `clusters` is scoped: it covers only clusters in those environments
       * (and with those names), and only promotions into those environments.
       * Without either, it covers everything. Several grants add up.
       */
      roles?: Array<{
        /**
         * viewer: read clusters and promotions. promoter: also preview
         * promotions. approver: also approve and reject them. admin:
         * everything, including clusters, agent tokens and the audit log.
         */
        role: 'viewer' | 'promoter' | 'approver' | 'admin';
        /** Entity refs of users and groups, such as `group:default/sre`. */
        members: string[];
        /** Environment names the grant is limited to. */
        environments?: string[];
        /** Cluster names the grant is limited to (clusters only). */
        clusters?: string[];
      }>;
    };
  };
}
