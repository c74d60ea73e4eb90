import { checkNumbers, extractNumbers } from './numbers';

describe('extractNumbers', () => {
  it('reads amounts, percentages and plain numbers as people write them', () => {
    expect(
      extractNumbers(
        'From $1,234.50 to 1234.5, -$5.00 and +22.49 (50%) over 4 replicas',
      ).map(({ value, decimals }) => [value, decimals]),
    ).toEqual([
      [1234.5, 2],
      [1234.5, 1],
      [5, 2],
      [22.49, 2],
      [50, 0],
      [4, 0],
    ]);
  });

  it('ignores digits inside words and the tail of versions', () => {
    expect(
      extractNumbers('m5.xlarge apps/v1 p95 NAME_A 2.4.0').map(n => n.text),
    ).toEqual(['2.4']);
  });
});

describe('checkNumbers', () => {
  const facts = [1234.5, 49.96, 22.49, 4];

  it('accepts numbers from the facts, as written or rounded to fewer decimals', () => {
    expect(
      checkNumbers(
        '$1,234.50, about $1,235, 50%, 49.96%, +$22.49 and 4 pods',
        facts,
      ),
    ).toEqual({ passed: true, unsupported: [] });
  });

  it('names every number that no fact supports', () => {
    expect(
      checkNumbers('It saves $9,999 (49.9%) on 4 or 5 pods, 5 in total', facts),
    ).toEqual({ passed: false, unsupported: ['$9,999', '49.9', '5'] });
  });
});
