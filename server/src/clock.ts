import { todayIn } from "../../shared/domain/warranty";

/** The time source of the services; tests pass a fixed one. */
export interface Clock {
  now(): Date;
  /** Today's date (YYYY-MM-DD) in the desk's time zone, for warranty windows. */
  today(): string;
}

/** The real clock. Warranty windows are calendar dates in the desk's zone (UTC until set). */
export function systemClock(timeZone = "UTC"): Clock {
  return {
    now: () => new Date(),
    today: () => todayIn(timeZone, new Date()),
  };
}
