import {
  QuantityParseError,
  formatBytes,
  formatCores,
  optionalQuantity,
  parseBytes,
  parseCpu,
  parseQuantity,
} from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['0.5', 0.5],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['128974848', 128974848],
    ['129M', 129_000_000],
    ['123Mi', 123 * 2 ** 20],
    ['1k', 1000],
    ['1Ki', 1024],
    ['100m', 0.1],
    ['1m', 0.001],
    ['.5', 0.5],
    ['5.', 5],
    ['+1', 1],
    ['-1', -1],
    ['0', 0],
    ['2Ti', 2 * 2 ** 40],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
  ])('parses %s', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 12);
  });

  it('keeps decimal suffixes exact (no 0.1 * 3 style drift)', () => {
    expect(parseCpu('300m')).toBe(0.3);
    expect(parseCpu('1100m')).toBe(1.1);
  });

  it('accepts plain numbers, as YAML gives for `cpu: 2`', () => {
    expect(parseCpu(2)).toBe(2);
    expect(parseBytes(1024)).toBe(1024);
  });

  it.each([
    '',
    ' 1',
    '1 ',
    'abc',
    '1.5.2',
    '1gi',
    '1mi',
    'Gi',
    '1e',
    '1Kb',
    '--1',
    '1e3Gi',
    'NaN',
    '1,5',
  ])('rejects %j with a clear error', input => {
    expect(() => parseQuantity(input)).toThrow(QuantityParseError);
    expect(() => parseQuantity(input)).toThrow(/Invalid Kubernetes quantity/);
  });

  it('rejects non-finite numbers and overflow', () => {
    expect(() => parseQuantity(Infinity)).toThrow(QuantityParseError);
    expect(() => parseQuantity('1e999')).toThrow(QuantityParseError);
  });

  it('treats absent values as undefined but garbage as an error', () => {
    expect(optionalQuantity(undefined)).toBeUndefined();
    expect(optionalQuantity(null)).toBeUndefined();
    expect(optionalQuantity('250m')).toBe(0.25);
    expect(() => optionalQuantity('lots')).toThrow(QuantityParseError);
  });
});

describe('formatting', () => {
  it('formats cores and bytes for messages', () => {
    expect(formatCores(0.25)).toBe('250m');
    expect(formatCores(1.5)).toBe('1.5 cores');
    expect(formatBytes(1536 * 2 ** 20)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
