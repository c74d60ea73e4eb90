import { activeFreeze, FreezeWindow, formatInZone } from './freezeWindows';

const weekend = FreezeWindow.parse({
  name: 'Weekend',
  rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0',
  duration: 'PT64H',
  timezone: 'Europe/Berlin',
});
const at = (iso: string) => new Date(iso);

describe('FreezeWindow', () => {
  it('freezes from Friday 16:00 to Monday 08:00 Berlin time, to the minute', () => {
    // Winter: Berlin is UTC+1, so 16:00 is 15:00Z and Monday 08:00 is 07:00Z.
    expect(weekend.activeAt(at('2026-12-04T14:59:00Z'))).toBeUndefined();
    expect(weekend.activeAt(at('2026-12-04T14:59:59.999Z'))).toBeUndefined();
    expect(weekend.activeAt(at('2026-12-04T15:00:00Z'))).toEqual({
      name: 'Weekend',
      startsAt: at('2026-12-04T15:00:00Z'),
      endsAt: at('2026-12-07T07:00:00Z'),
    });
    expect(weekend.activeAt(at('2026-12-06T12:00:00Z'))?.endsAt).toEqual(
      at('2026-12-07T07:00:00Z'),
    );
    expect(weekend.activeAt(at('2026-12-07T06:59:00Z'))).toBeDefined();
    expect(weekend.activeAt(at('2026-12-07T07:00:00Z'))).toBeUndefined();
    expect(weekend.activeAt(at('2026-12-09T12:00:00Z'))).toBeUndefined();
  });

  it('keeps the wall-clock start in summer, and nominal days across a DST change', () => {
    // Summer: Berlin is UTC+2.
    expect(weekend.activeAt(at('2027-06-04T13:59:00Z'))).toBeUndefined();
    expect(weekend.activeAt(at('2027-06-04T14:00:00Z'))?.endsAt).toEqual(
      at('2027-06-07T06:00:00Z'),
    );
    // Clocks go forward on Sunday 2027-03-28: 64 exact hours end at 09:00
    // local time, while 2 nominal days and 16 hours end at 08:00.
    expect(weekend.activeAt(at('2027-03-27T12:00:00Z'))?.endsAt).toEqual(
      at('2027-03-29T07:00:00Z'),
    );
    const nominal = FreezeWindow.parse({
      name: 'Weekend',
      rrule: 'RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0',
      duration: 'P2DT16H',
      timezone: 'Europe/Berlin',
    });
    expect(nominal.activeAt(at('2027-03-27T12:00:00Z'))?.endsAt).toEqual(
      at('2027-03-29T06:00:00Z'),
    );
    expect(formatInZone(at('2027-03-29T06:00:00Z'), 'Europe/Berlin')).toBe(
      '2027-03-29 08:00 Europe/Berlin',
    );
  });

  it('names the window that ends last when several hold', () => {
    const yearEnd = FreezeWindow.parse({
      name: 'Year end',
      rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20;BYHOUR=0;BYMINUTE=0',
      duration: 'P14D',
      timezone: 'UTC',
    });
    expect(
      activeFreeze([weekend, yearEnd], at('2026-12-25T18:00:00Z')),
    ).toMatchObject({ name: 'Year end', endsAt: at('2027-01-03T00:00:00Z') });
    expect(activeFreeze([weekend, yearEnd], at('2026-12-02T12:00:00Z'))).toBe(
      undefined,
    );
  });

  it('refuses windows it cannot read, naming them', () => {
    const valid = {
      name: 'Weekend',
      rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=16',
      duration: 'PT64H',
      timezone: 'Europe/Berlin',
    };
    expect(() =>
      FreezeWindow.parse({ ...valid, timezone: 'Mars/Olympus' }),
    ).toThrow("Freeze window 'Weekend': unknown time zone 'Mars/Olympus'");
    expect(() => FreezeWindow.parse({ ...valid, duration: '64h' })).toThrow(
      "duration '64h' is not an ISO 8601 duration",
    );
    expect(() => FreezeWindow.parse({ ...valid, duration: 'PT' })).toThrow(
      'is not an ISO 8601 duration',
    );
    expect(() =>
      FreezeWindow.parse({ ...valid, rrule: 'FREQ=MINUTELY' }),
    ).toThrow(
      "rrule 'FREQ=MINUTELY' is invalid: it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
    );
    expect(() =>
      FreezeWindow.parse({ ...valid, rrule: 'FREQ=WEEKLY;BYDAY=XX' }),
    ).toThrow("Freeze window 'Weekend': rrule");
  });
});
