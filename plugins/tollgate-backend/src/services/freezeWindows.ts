import { Frequency, RRule } from 'rrule';

/** A recurring period without approvals, as configured. */
export interface FreezeWindowConfig {
  name: string;
  /** RFC 5545 RRULE without DTSTART, e.g. `FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0`. */
  rrule: string;
  /** ISO 8601 duration, e.g. `PT64H`. */
  duration: string;
  /** IANA time zone the rule's wall-clock times are in. */
  timezone: string;
}

/** A freeze window that holds now. */
export interface ActiveFreeze {
  name: string;
  startsAt: Date;
  endsAt: Date;
}

interface Duration {
  /** Days and weeks: nominal, added to the wall clock. */
  days: number;
  /** Hours, minutes and seconds: exact. */
  milliseconds: number;
}

const DAY_MS = 86_400_000;
/** Rules are anchored here, in the window's wall-clock time. */
const ANCHOR = new Date(Date.UTC(2020, 0, 1));
const SUPPORTED_FREQUENCIES = [
  Frequency.YEARLY,
  Frequency.MONTHLY,
  Frequency.WEEKLY,
  Frequency.DAILY,
];

/**
 * A validated freeze window. Occurrences are computed in "floating" wall-clock
 * time (a UTC date standing for the zone's local time) and converted to
 * instants in the zone, so 16:00 stays 16:00 across daylight-saving changes.
 */
export class FreezeWindow {
  private constructor(
    readonly name: string,
    readonly timezone: string,
    private readonly rule: RRule,
    private readonly duration: Duration,
  ) {}

  /** @throws Error naming the window and what is wrong with it */
  static parse(config: FreezeWindowConfig): FreezeWindow {
    const problem = (what: string) =>
      new Error(`Freeze window '${config.name}': ${what}`);
    if (!isTimeZone(config.timezone)) {
      throw problem(`unknown time zone '${config.timezone}'`);
    }
    const duration = parseDuration(config.duration);
    if (!duration) {
      throw problem(
        `duration '${config.duration}' is not an ISO 8601 duration such as PT64H or P2DT16H`,
      );
    }
    return new FreezeWindow(
      config.name,
      config.timezone,
      parseRule(config.rrule, problem),
      duration,
    );
  }

  /** The occurrence of this window that contains `now`, if any. */
  activeAt(now: Date): ActiveFreeze | undefined {
    const localNow = wallClock(now, this.timezone);
    const lookBack = this.duration.days * DAY_MS + this.duration.milliseconds;
    const starts = this.rule.between(
      new Date(localNow.getTime() - lookBack - 2 * DAY_MS),
      new Date(localNow.getTime() + DAY_MS),
      true,
    );
    const windows = starts.map(start => this.occurrence(start));
    return windows
      .filter(window => window.startsAt <= now && now < window.endsAt)
      .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0];
  }

  private occurrence(localStart: Date): ActiveFreeze {
    const localEnd = new Date(
      localStart.getTime() + this.duration.days * DAY_MS,
    );
    return {
      name: this.name,
      startsAt: instantOf(localStart, this.timezone),
      endsAt: new Date(
        instantOf(localEnd, this.timezone).getTime() +
          this.duration.milliseconds,
      ),
    };
  }
}

/** The first window (latest-ending) that holds now. */
export function activeFreeze(
  windows: readonly FreezeWindow[],
  now: Date,
): ActiveFreeze | undefined {
  return windows
    .map(window => window.activeAt(now))
    .filter((active): active is ActiveFreeze => active !== undefined)
    .sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0];
}

/** `2026-12-07 08:00 Europe/Berlin`, for messages. */
export function formatInZone(instant: Date, timezone: string): string {
  const local = wallClock(instant, timezone).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${timezone}`;
}

function parseRule(text: string, problem: (what: string) => Error): RRule {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (/DTSTART|\n/i.test(body)) {
    throw problem('give only the RRULE part, without DTSTART');
  }
  let rule: RRule;
  try {
    const options = RRule.parseString(body);
    if (!SUPPORTED_FREQUENCIES.includes(options.freq!)) {
      throw new Error('it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY');
    }
    rule = new RRule({ ...options, dtstart: ANCHOR, tzid: null });
    if (!rule.after(ANCHOR, true)) throw new Error('it never occurs');
  } catch (error) {
    throw problem(`rrule '${text}' is invalid: ${(error as Error).message}`);
  }
  return rule;
}

function parseDuration(text: string): Duration | undefined {
  const match =
    /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(
      text,
    );
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map(part =>
    Number(part ?? 0),
  );
  const duration = {
    days: weeks * 7 + days,
    milliseconds: ((hours * 60 + minutes) * 60 + seconds) * 1000,
  };
  return duration.days + duration.milliseconds > 0 ? duration : undefined;
}

function isTimeZone(timezone: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall-clock time at `instant`, as a UTC date. */
function wallClock(instant: Date, timezone: string): Date {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, format);
  }
  const part = Object.fromEntries(
    format.formatToParts(instant).map(p => [p.type, Number(p.value)]),
  );
  return new Date(
    Date.UTC(
      part.year,
      part.month - 1,
      part.day,
      part.hour,
      part.minute,
      part.second,
      instant.getUTCMilliseconds(),
    ),
  );
}

/**
 * The instant a wall-clock time happens in the zone; a time skipped by a
 * daylight-saving change moves forward by the gap.
 */
function instantOf(localTime: Date, timezone: string): Date {
  const offsetAt = (instant: number) =>
    wallClock(new Date(instant), timezone).getTime() - instant;
  const guess = localTime.getTime() - offsetAt(localTime.getTime());
  return new Date(localTime.getTime() - offsetAt(guess));
}
