import { container, deployment, pdb, service } from './__fixtures__/builders';
import { matchObjects } from './diff';
import { normalizeObjects } from './normalize';
import { K8sObject } from './objects';
import { SEVERITY_WEIGHTS, evaluateRisk } from './risk';

function risky(before: K8sObject[], after: K8sObject[], config = {}) {
  const matches = matchObjects(
    normalizeObjects(before),
    normalizeObjects(after),
  );
  return evaluateRisk({ matches }, config);
}

// Replicas 3 -> 1 (single-replica, high), PDB dropped (pdb-removed, medium),
// a privileged container (critical), a Service that only the target has
// (target-drift, low).
const before = [
  deployment('web', { replicas: 3 }),
  pdb('web'),
  service('legacy'),
];
const after = [
  deployment('web', {
    replicas: 1,
    containers: [container('app', { securityContext: { privileged: true } })],
  }),
];

describe('evaluateRisk', () => {
  it('grades by the highest severity and sums documented weights into the score', () => {
    const result = risky(before, after);
    expect(result.findings.map(f => `${f.severity}:${f.ruleId}`)).toEqual([
      'critical:privileged-container',
      'high:single-replica',
      'medium:pdb-removed',
      'low:target-drift',
    ]);
    expect(result.riskLevel).toBe('critical');
    expect(result.score).toBe(
      SEVERITY_WEIGHTS.critical +
        SEVERITY_WEIGHTS.high +
        SEVERITY_WEIGHTS.medium +
        SEVERITY_WEIGHTS.low,
    );
  });

  it('caps the score at 100', () => {
    const many = Array.from({ length: 5 }, (_, i) =>
      deployment(`w${i}`, {
        containers: [
          container('app', { securityContext: { privileged: true } }),
        ],
      }),
    );
    expect(risky([], many).score).toBe(100);
  });

  it('reports none without findings', () => {
    const same = [deployment('web', { replicas: 2 })];
    expect(risky(same, same)).toMatchObject({
      riskLevel: 'none',
      score: 0,
      findings: [],
    });
  });

  it('disables and re-grades rules by id', () => {
    const result = risky(before, after, {
      rules: {
        'privileged-container': { enabled: false },
        'target-drift': { severity: 'info' },
      },
    });
    expect(result.findings.map(f => `${f.severity}:${f.ruleId}`)).toEqual([
      'high:single-replica',
      'medium:pdb-removed',
      'info:target-drift',
    ]);
    expect(result.rulesEvaluated).not.toContain('privileged-container');
    expect(result.riskLevel).toBe('high');
  });

  it('refuses configuration naming rules that do not exist', () => {
    expect(() =>
      risky(before, after, { rules: { 'no-such-rule': { enabled: false } } }),
    ).toThrow(/Unknown risk rule id\(s\) in configuration: no-such-rule/);
  });
});
