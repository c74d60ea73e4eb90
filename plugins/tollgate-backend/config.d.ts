export interface Config {
  /** Configuration for the Tollgate backend plugin. */
  tollgate?: {
    /** The in-cluster agents. */
    agent?: {
      /**
       * Minutes a rotated-out agent token keeps working, so the agent can pick
       * up the new one without a gap. Default 60.
       */
      previousTokenGraceMinutes?: number;
    };
    /**
     * Clusters declared in configuration. Each is registered at startup when no
     * cluster of that name exists yet; existing registrations are left as they are.
     */
    clusters?: Array<{
      /** Unique DNS-label name, such as `prod-eu-west-1`. */
      name: string;
      /** Human-friendly name shown in the portal. */
      displayName?: string;
      /** Where the cluster runs. */
      provider: 'aws' | 'gcp' | 'azure' | 'on-prem' | 'other';
      /** Cloud region or data centre, such as `eu-west-1`. */
      region: string;
      /** Environment the cluster serves, such as `staging` or `production`. */
      environment: string;
      /** Free-form labels. */
      metadata?: { [key: string]: string };
    }>;
  };
}
