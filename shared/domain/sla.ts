/**
 * SLA clocks: business hours in an IANA time zone, pauses, due dates. Pure and isomorphic (only
 * `Intl`, no Node built-ins): times are epoch milliseconds, "now" is passed in, never read.
 */
import type { TicketStatus } from "./enums";

/** Weekdays of a schedule, Monday first (ISO 8601). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One day's opening hours, local wall time `HH:MM`; `end` may be `24:00` (midnight after). */
export interface DayHours {
  start: string;
  end: string;
}

/** When the desk works: a time zone and one window per weekday (null: closed that day). */
export interface BusinessHours {
  timeZone: string;
  /** Seven entries, Monday first. */
  week: (DayHours | null)[];
}

/** The queue filters on SLA state (`GET /api/tickets?sla=`). */
export const SLA_FILTERS = ["breached", "at_risk", "paused"] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

/** A ticket falls "at risk" when a running clock is due within this long. */
export const SLA_AT_RISK_MS = 60 * 60_000;

/** Statuses a policy may choose to pause its clocks in. */
export const SLA_PAUSABLE_STATUSES = [
  "pending_customer",
  "pending_internal",
  "pending_distributor",
] as const satisfies readonly TicketStatus[];
export type SlaPausableStatus = (typeof SLA_PAUSABLE_STATUSES)[number];

/** What pauses the clock unless a policy says otherwise: waiting on the customer or the distributor. */
export const DEFAULT_PAUSE_STATUSES: readonly SlaPausableStatus[] = [
  "pending_customer",
  "pending_distributor",
];

/** Statuses that stop every clock (the work is done); a reopened ticket's clocks run on. */
const DONE: readonly TicketStatus[] = ["resolved", "closed"];

/** Round-the-clock hours in UTC. */
export const ALWAYS_OPEN: BusinessHours = {
  timeZone: "UTC",
  week: WEEKDAYS.map(() => ({ start: "00:00", end: "24:00" })),
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead a due date is looked for; a schedule with no hours in ten years has none. */
const MAX_DAYS = 3660;

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$/;

/** Minutes after midnight of `HH:MM`, or null when it is not a time of day (`24:00` is 1440). */
export function minutesOf(time: string): number | null {
  if (!TIME.test(time)) {
    return null;
  }
  const [hours, minutes] = time.split(":").map(Number);
  return hours * 60 + minutes;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) {
    return false;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Problems with a schedule, as `[path, message]` pairs (empty when it is usable). */
export function businessHoursProblems(hours: BusinessHours): [string, string][] {
  const problems: [string, string][] = [];
  if (!isTimeZone(hours.timeZone)) {
    problems.push(["timeZone", "is not a known IANA time zone (e.g. America/New_York)"]);
  }
  if (hours.week.length !== 7) {
    problems.push(["week", "must have seven days, Monday first"]);
    return problems;
  }
  hours.week.forEach((day, index) => {
    if (day === null) {
      return;
    }
    const start = minutesOf(day.start);
    const end = minutesOf(day.end);
    if (start === null || start === 1440) {
      problems.push([`week.${index}.start`, "must be a time HH:MM"]);
    } else if (end === null) {
      problems.push([`week.${index}.end`, "must be a time HH:MM (24:00 for midnight)"]);
    } else if (end <= start) {
      problems.push([`week.${index}.end`, "must be after the start"]);
    }
  });
  if (hours.week.every((day) => day === null)) {
    problems.push(["week", "must have at least one working day"]);
  }
  return problems;
}

const WALL_FORMATS = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = WALL_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    WALL_FORMATS.set(timeZone, format);
  }
  return format;
}

/**
 * Offsets already computed, by zone and minute. Zones change offset on whole minutes (in the
 * era tickets live in), so every instant of one minute has its minute's offset; and the clocks
 * of many tickets ask for the same few day boundaries, where Intl's formatting is the cost.
 */
const OFFSETS = new Map<string, number>();
const MAX_OFFSETS = 50_000;

/** The zone's offset from UTC at instant `t` (local wall time minus UTC), in ms. */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(t / 60_000)}`;
  const known = OFFSETS.get(key);
  if (known !== undefined) {
    return known;
  }
  const parts = wallFormat(timeZone).formatToParts(new Date(t));
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour") % 24,
    part("minute"),
    part("second"),
  );
  const whole = t - (((t % 1000) + 1000) % 1000);
  const offset = wall - whole;
  if (OFFSETS.size >= MAX_OFFSETS) {
    OFFSETS.clear();
  }
  OFFSETS.set(key, offset);
  return offset;
}

/**
 * The instant at which the wall clock of `timeZone` shows `wall` (that wall time written as if
 * it were UTC). A time skipped by a DST change (02:30 on a spring-forward night) is read as the
 * same length after the gap, the way clocks are set forward; a time that happens twice (01:30
 * on a fall-back night) is its first occurrence.
 */
export function wallToInstant(wall: number, timeZone: string): number {
  const before = zoneOffsetMs(wall - DAY, timeZone);
  const after = zoneOffsetMs(wall + DAY, timeZone);
  if (before === after) {
    return wall - before;
  }
  const candidates = [wall - before, wall - after].filter(
    (t) => t + zoneOffsetMs(t, timeZone) === wall,
  );
  if (candidates.length === 0) {
    return wall - before;
  }
  return Math.min(...candidates);
}

/** A time span [start, end); `end` is Infinity for one still going on. */
export interface Span {
  start: number;
  end: number;
}

/** The desk's open spans from `from` on, in order (each clipped to start no earlier than `from`). */
function* openSpans(from: number, hours: BusinessHours): Generator<Span> {
  const wall = new Date(from + zoneOffsetMs(from, hours.timeZone));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const date = wall.getUTCDate();
  for (let day = -1; day < MAX_DAYS; day++) {
    const midnight = Date.UTC(year, month, date + day);
    const weekday = (new Date(midnight).getUTCDay() + 6) % 7;
    const window = hours.week[weekday];
    if (!window) {
      continue;
    }
    const open = wallToInstant(midnight + (minutesOf(window.start) ?? 0) * MINUTE, hours.timeZone);
    const close = wallToInstant(midnight + (minutesOf(window.end) ?? 0) * MINUTE, hours.timeZone);
    if (close > open && close > from) {
      yield { start: Math.max(open, from), end: close };
    }
  }
}

/** Sorted, merged spans. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** The parts of the open spans from `from` on that are not paused, in order. */
function* countingSpans(from: number, hours: BusinessHours, pauses: readonly Span[]) {
  const merged = mergeSpans(pauses);
  let p = 0;
  for (const open of openSpans(from, hours)) {
    let start = open.start;
    while (p < merged.length && merged[p].end <= start) {
      p++;
    }
    let q = p;
    while (start < open.end) {
      const pause = merged[q];
      if (pause === undefined || pause.start >= open.end) {
        yield { start, end: open.end };
        break;
      }
      if (pause.start > start) {
        yield { start, end: pause.start };
      }
      if (pause.end === Infinity) {
        // Paused for good: no counting time ever again.
        return;
      }
      start = Math.max(start, pause.end);
      q++;
    }
  }
}

/** Business time between `from` and `to` outside `pauses`, in ms (0 when `to` <= `from`). */
export function businessMsBetween(
  from: number,
  to: number,
  hours: BusinessHours,
  pauses: readonly Span[] = [],
): number {
  let total = 0;
  if (to <= from) {
    return 0;
  }
  for (const span of countingSpans(from, hours, pauses)) {
    if (span.start >= to) {
      break;
    }
    total += Math.min(span.end, to) - span.start;
  }
  return total;
}

/**
 * The instant at which `ms` of business time outside `pauses` has passed since `from`; null when
 * it never does (a pause without end comes first, or the schedule has no hours).
 */
export function addBusinessMs(
  from: number,
  ms: number,
  hours: BusinessHours,
  pauses: readonly Span[] = [],
): number | null {
  if (ms <= 0) {
    return from;
  }
  let left = ms;
  for (const span of countingSpans(from, hours, pauses)) {
    const length = span.end - span.start;
    if (length >= left) {
      return span.start + left;
    }
    left -= length;
  }
  return null;
}

/** A ticket's story as the clocks need it. */
export interface SlaTimeline {
  createdAt: number;
  /** Every status the ticket has had and since when, oldest first (the first at `createdAt`). */
  statuses: { at: number; status: TicketStatus }[];
  /** The first public reply of an agent (or the opening, for a ticket an agent opened). */
  firstResponseAt: number | null;
}

/** What a policy promises. */
export interface SlaTerms {
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  hours: BusinessHours;
  pauseStatuses: readonly TicketStatus[];
}

/**
 * One clock: `running` toward `dueAt`; `paused` (the ticket waits on someone; `remainingMs` is
 * frozen and there is no due date until it runs again); `met` (answered / resolved at
 * `achievedAt`); `stopped` (the ticket was resolved before this target was met).
 */
export type SlaClockState = "running" | "paused" | "met" | "stopped";

export interface SlaClock {
  state: SlaClockState;
  targetMs: number;
  /** When it falls (or fell) due; null while paused before falling due. */
  dueAt: number | null;
  achievedAt: number | null;
  /** Business time counted so far (to `achievedAt` or when it stopped, else to now). */
  elapsedMs: number;
  /** `targetMs - elapsedMs`: business time left, negative when overdue. */
  remainingMs: number;
  breached: boolean;
}

export interface SlaEvaluation {
  firstResponse: SlaClock | null;
  resolution: SlaClock | null;
  /** Since when the clocks are paused, or null. */
  pausedSince: number | null;
  /** The earliest due date of a running clock (overdue ones included): what the queue sorts by. */
  nextDueAt: number | null;
}

/** The trailing run of statuses that satisfy `test`, as the time it began, or null. */
function trailingSince(
  statuses: SlaTimeline["statuses"],
  test: (status: TicketStatus) => boolean,
): number | null {
  let since: number | null = null;
  for (let i = statuses.length - 1; i >= 0 && test(statuses[i].status); i--) {
    since = statuses[i].at;
  }
  return since;
}

/**
 * Both clocks of a ticket at `now`. Business time counts only inside `hours` and outside the
 * pauses: spans in a pausing status, and spans resolved before a reopening. The first-response
 * clock is met by the first public reply of an agent; the resolution clock by resolving (or
 * closing) the ticket.
 */
export function evaluateSla(timeline: SlaTimeline, terms: SlaTerms, now: number): SlaEvaluation {
  const { statuses, createdAt } = timeline;
  const stops = (status: TicketStatus) =>
    DONE.includes(status) || terms.pauseStatuses.includes(status);
  const pauses: Span[] = [];
  statuses.forEach((entry, index) => {
    if (stops(entry.status)) {
      const next = statuses[index + 1];
      pauses.push({ start: entry.at, end: next === undefined ? Infinity : next.at });
    }
  });
  const doneSince = trailingSince(statuses, (status) => DONE.includes(status));
  const pausedSince =
    doneSince === null
      ? trailingSince(statuses, (status) => terms.pauseStatuses.includes(status))
      : null;

  const clock = (minutes: number | null, achievedAt: number | null): SlaClock | null => {
    if (minutes === null) {
      return null;
    }
    const targetMs = minutes * MINUTE;
    const dueAt = addBusinessMs(createdAt, targetMs, terms.hours, pauses);
    const until = achievedAt ?? doneSince ?? now;
    const elapsedMs = businessMsBetween(createdAt, until, terms.hours, pauses);
    const state: SlaClockState =
      achievedAt !== null
        ? "met"
        : doneSince !== null
          ? "stopped"
          : pausedSince !== null
            ? "paused"
            : "running";
    return {
      state,
      targetMs,
      dueAt,
      achievedAt,
      elapsedMs,
      remainingMs: targetMs - elapsedMs,
      breached: dueAt !== null && until > dueAt,
    };
  };

  const firstResponseAt =
    timeline.firstResponseAt !== null && timeline.firstResponseAt <= now
      ? timeline.firstResponseAt
      : null;
  const firstResponse = clock(terms.firstResponseMinutes, firstResponseAt);
  const resolution = clock(terms.resolutionMinutes, doneSince);
  const running = [firstResponse, resolution].flatMap((c) =>
    c !== null && c.state === "running" && c.dueAt !== null ? [c.dueAt] : [],
  );
  return {
    firstResponse,
    resolution,
    pausedSince,
    nextDueAt: running.length > 0 ? Math.min(...running) : null,
  };
}

/** "2h 05m", "3d 4h", "45m", "0m": a duration for a countdown (sign dropped). */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) {
    return `${days}d ${hours}h`;
  }
  if (hours > 0) {
    return `${hours}h ${String(rest).padStart(2, "0")}m`;
  }
  return `${rest}m`;
}
