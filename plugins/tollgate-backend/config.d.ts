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
    /** Promotion previews: diff noise, prices and risk rules. */
    preview?: {
      /** Fields left out of every diff, per kind ('*' for all), as JSON pointers. */
      ignore?: Array<{ kind: string; paths: string[] }>;
      /** Keep fields equal to API-server defaults in diffs. Default false. */
      keepDefaults?: boolean;
      /** Similarity (0..1) from which a removed and an added object count as a rename. Default 0.75. */
      renameThreshold?: number;
      /** Overrides of the shipped price data. */
      pricing?: {
        /** Negotiated discount on every price, 0 to below 100. */
        discountPercent?: number;
        /** Hours in a month. Default 730. */
        hoursPerMonth?: number;
        /** Instance prices added to, or replacing, the shipped ones. */
        instances?: Array<{
          provider: 'aws' | 'gcp' | 'azure';
          region: string;
          instanceType: string;
          vcpu: number;
          memoryGiB: number;
          gpu?: number;
          /** On-demand USD per hour. */
          hourly: number;
          spotHourly?: number;
          source?: string;
          asOf?: string;
        }>;
        /** Storage prices per GiB-month, per disk type. */
        storage?: Array<{
          provider?: 'aws' | 'gcp' | 'azure' | 'default';
          diskType: string;
          perGiBMonth: number;
          source?: string;
          asOf?: string;
        }>;
        /** USD per hour for one load balancer, per provider. */
        loadBalancers?: { [provider: string]: number };
        /** Rates for unknown instance types (OpenCost's defaults otherwise). */
        defaults?: {
          cpuPerCoreHour?: number;
          ramPerGiBHour?: number;
          gpuPerHour?: number;
          spotCpuPerCoreHour?: number;
          spotRamPerGiBHour?: number;
          storagePerGiBMonth?: number;
        };
      };
      /** Risk rules: turn off or re-grade by rule id, and the cost guardrail. */
      risk?: {
        rules?: {
          [ruleId: string]: {
            enabled?: boolean;
            severity?: 'info' | 'low' | 'medium' | 'high' | 'critical';
          };
        };
        costGuardrail?: {
          /** Flag a monthly increase above this many USD. Default 100. */
          monthlyDelta?: number;
          /** Flag a monthly increase above this percentage. Default 20. */
          percentDelta?: number;
        };
      };
    };
    /** Plain-English explanations of previews. */
    explainer?: {
      /**
       * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
       * Ollama, ...). Without it, explanations are written deterministically.
       */
      llm?: {
        /** Such as https://api.openai.com/v1, https://<resource>.openai.azure.com/openai/v1/ or http://localhost:11434/v1. */
        baseUrl: string;
        /** @visibility secret */
        apiKey?: string;
        model: string;
        /** Give up and use the deterministic text after this long. Default 15000. */
        timeoutMs?: number;
      };
    };
    /** Reading GitOps repositories for Git sides of previews. */
    gitops?: {
      /** Where bare mirrors are kept. Default: tollgate-gitops in the OS temp folder. */
      cacheDir?: string;
      /**
       * Repositories a preview request may name in `git.repo`, besides the
       * entity's own `tollgate.io/gitops-repo` (exact strings).
       */
      allowedRepos?: string[];
      /**
       * Folder that a relative `tollgate.io/gitops-repo` (such as the demo's
       * `.demo/gitops.git`) is resolved against, relative to the backend's
       * working folder. Without it, relative repository paths are refused.
       */
      localRoot?: string;
      /** How each environment's GitOps folder is written, by environment name. */
      environments?: {
        [environment: string]: {
          /**
           * `plain` manifests, a `kustomize` overlay, or a Helm values file
           * (`helm-values`). Default: kustomize when the folder has a
           * kustomization, else plain.
           */
          layout?: 'plain' | 'kustomize' | 'helm-values';
          /** Default: from the repository's host in `integrations`, else plain git. */
          provider?: 'git' | 'github' | 'gitlab' | 'bitbucket';
          /** Helm: values file relative to the folder. Default values.yaml. */
          valuesFile?: string;
          /** Helm: values path of the image repository. Default image.repository. */
          imageRepositoryPath?: string;
          /** Helm: values path of the image tag. Default image.tag. */
          imageTagPath?: string;
          /** Helm: values path of the replica count. Default replicaCount. */
          replicasPath?: string;
          /** Helm: values path of the container resources. Default resources. */
          resourcesPath?: string;
        };
      };
    };
    /** Pull requests of approved promotions in the GitOps repository. */
    pullRequests?: {
      /** Author of Tollgate's commits. Default `Tollgate <tollgate@localhost>`. */
      author?: { name?: string; email?: string };
      /** Where throw-away clones are made. Default: the OS temp folder. */
      workDir?: string;
      /** Minutes between polls of open pull requests. Default 2. */
      pollIntervalMinutes?: number;
      /** Secrets of the webhooks at /api/tollgate/v1/git/webhooks/{github,gitlab}. */
      webhooks?: {
        /**
         * The GitHub webhook secret, checked against X-Hub-Signature-256.
         * @visibility secret
         */
        githubSecret?: string;
        /**
         * The GitLab webhook secret token, checked against X-Gitlab-Token.
         * @visibility secret
         */
        gitlabToken?: string;
      };
    };
    /**
     * Who may approve promotions into which environment, and when. Each
     * environment's fields fall back to `default`, then to one approval by
     * anyone with `tollgate.promotion.approve`, never by the preview's author.
     */
    approvals?: {
      default?: TollgateApprovalPolicy;
      /** By target environment name, such as `production`. */
      environments?: { [environment: string]: TollgateApprovalPolicy };
    };
  };
}

/** The approval policy of a target environment. */
interface TollgateApprovalPolicy {
  /** Distinct users who must approve. Default 1. */
  requiredApprovals?: number;
  /** May the preview's author approve it? Default false. */
  allowSelfApproval?: boolean;
  /**
   * Users and groups (entity refs such as `group:default/sre`) who may
   * approve; a user qualifies through any group they belong to. Default:
   * anyone with the permission.
   */
  approvers?: string[];
  /** Same as `approvers`; both lists count. */
  approverRoles?: string[];
  /** Recurring periods without approvals. */
  freezeWindows?: Array<{
    /** Shown in the refusal, such as `Weekend`. */
    name: string;
    /** RFC 5545 RRULE without DTSTART (DAILY, WEEKLY, MONTHLY or YEARLY), such as `FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0`. */
    rrule: string;
    /** ISO 8601 duration from each start, such as `PT64H` (hours are exact, days nominal). */
    duration: string;
    /** IANA time zone of the rule's times. Default UTC. */
    timezone?: string;
  }>;
  /** Extra approvals when the monthly cost rises above either threshold. */
  costGuardrail?: {
    monthlyDeltaUsd?: number;
    percent?: number;
    /** Default 1. */
    extraApprovals?: number;
  };
}
