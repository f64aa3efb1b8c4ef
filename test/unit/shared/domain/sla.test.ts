import { expect } from "chai";
import {
  ALWAYS_OPEN,
  addBusinessMs,
  businessHoursProblems,
  businessMsBetween,
  evaluateSla,
  formatDuration,
  isTimeZone,
  wallToInstant,
  zoneOffsetMs,
} from "../../../../shared/domain/sla";
import type { BusinessHours, SlaTerms, SlaTimeline } from "../../../../shared/domain/sla";

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Monday to Friday, 09:00 to 17:00 local time. */
function officeHours(timeZone: string): BusinessHours {
  const day = { start: "09:00", end: "17:00" };
  return Object.freeze({ timeZone, week: [day, day, day, day, day, null, null] });
}

function allDay(timeZone: string): BusinessHours {
  return { ...ALWAYS_OPEN, timeZone };
}

const NEW_YORK = officeHours("America/New_York");

describe("shared/domain/sla", () => {
  describe("time zones", () => {
    it("knows IANA zones and refuses anything else", () => {
      expect(isTimeZone("America/New_York")).to.be.true;
      expect(isTimeZone("Asia/Kolkata")).to.be.true;
      expect(isTimeZone("Mars/Olympus_Mons")).to.be.false;
      expect(isTimeZone("")).to.be.false;
    });

    it("reads the offset of a zone at an instant, DST included", () => {
      expect(zoneOffsetMs(at("2024-01-15T12:00:00Z"), "America/New_York")).to.equal(-5 * HOUR);
      expect(zoneOffsetMs(at("2024-07-15T12:00:00Z"), "America/New_York")).to.equal(-4 * HOUR);
      expect(zoneOffsetMs(at("2024-07-15T12:00:00Z"), "Asia/Kolkata")).to.equal(5.5 * HOUR);
    });

    it("turns wall times into instants, moving gap times forward and taking the first of twins", () => {
      const sut = (wall: string, zone: string) => iso(wallToInstant(at(wall), zone));
      expect(sut("2024-03-10T01:30:00Z", "America/New_York")).to.equal("2024-03-10T06:30:00.000Z");
      // 02:30 does not happen on 10 March 2024 in New York: it is read as 03:30 EDT.
      expect(sut("2024-03-10T02:30:00Z", "America/New_York")).to.equal("2024-03-10T07:30:00.000Z");
      expect(sut("2024-03-10T03:30:00Z", "America/New_York")).to.equal("2024-03-10T07:30:00.000Z");
      // 01:30 happens twice on 3 November 2024: first in EDT.
      expect(sut("2024-11-03T01:30:00Z", "America/New_York")).to.equal("2024-11-03T05:30:00.000Z");
      expect(sut("2024-11-03T09:00:00Z", "America/New_York")).to.equal("2024-11-03T14:00:00.000Z");
    });
  });

  describe("business time", () => {
    it("counts only opening hours within a day", () => {
      const monday10 = at("2024-03-04T15:00:00Z"); // Monday 10:00 EST
      expect(iso(addBusinessMs(monday10, 60 * MIN, NEW_YORK))).to.equal("2024-03-04T16:00:00.000Z");
      expect(businessMsBetween(monday10, at("2024-03-04T23:00:00Z"), NEW_YORK)).to.equal(7 * HOUR);
    });

    it("carries over to the next working day", () => {
      const monday1630 = at("2024-03-04T21:30:00Z");
      // 30 minutes on Monday, 30 on Tuesday from 09:00.
      expect(iso(addBusinessMs(monday1630, 60 * MIN, NEW_YORK))).to.equal(
        "2024-03-05T14:30:00.000Z",
      );
      // Eight hours a day: 20 business hours from Monday 09:00 end on Wednesday 13:00.
      expect(iso(addBusinessMs(at("2024-03-04T14:00:00Z"), 20 * HOUR, NEW_YORK))).to.equal(
        "2024-03-06T18:00:00.000Z",
      );
    });

    it("starts a ticket opened out of hours at the next opening", () => {
      const saturday = at("2024-03-02T18:00:00Z");
      expect(iso(addBusinessMs(saturday, 30 * MIN, NEW_YORK))).to.equal("2024-03-04T14:30:00.000Z");
      expect(businessMsBetween(saturday, at("2024-03-04T14:00:00Z"), NEW_YORK)).to.equal(0);
    });

    it("skips a weekend that changes the clocks (09:00 is 14:00Z on Friday, 13:00Z on Monday)", () => {
      const friday16 = at("2024-03-08T21:00:00Z"); // Friday 16:00 EST
      expect(iso(addBusinessMs(friday16, 2 * HOUR, NEW_YORK))).to.equal("2024-03-11T14:00:00.000Z");
      expect(businessMsBetween(friday16, at("2024-03-11T14:00:00Z"), NEW_YORK)).to.equal(2 * HOUR);
    });

    it("keeps the same local hours in each zone", () => {
      const tokyo = officeHours("Asia/Tokyo");
      // Monday 09:30 JST; 7.5 hours on Monday, 30 minutes on Tuesday.
      expect(iso(addBusinessMs(at("2024-03-04T00:30:00Z"), 8 * HOUR, tokyo))).to.equal(
        "2024-03-05T00:30:00.000Z",
      );
      const kolkata = officeHours("Asia/Kolkata");
      // Monday 09:00 IST is 03:30Z.
      expect(iso(addBusinessMs(at("2024-03-04T00:00:00Z"), 1 * HOUR, kolkata))).to.equal(
        "2024-03-04T04:30:00.000Z",
      );
      const london = officeHours("Europe/London");
      // After the UK change (31 March 2024) 09:00 BST is 08:00Z.
      expect(iso(addBusinessMs(at("2024-04-01T00:00:00Z"), 1 * HOUR, london))).to.equal(
        "2024-04-01T09:00:00.000Z",
      );
    });

    it("counts real time, not wall time, round the clock across DST changes", () => {
      const newYork = allDay("America/New_York");
      // 10 March 2024 lasts 23 hours in New York, 3 November 2024 lasts 25.
      expect(
        businessMsBetween(at("2024-03-10T05:00:00Z"), at("2024-03-11T04:00:00Z"), newYork),
      ).to.equal(23 * HOUR);
      expect(
        businessMsBetween(at("2024-11-03T04:00:00Z"), at("2024-11-04T05:00:00Z"), newYork),
      ).to.equal(25 * HOUR);
      // 24 business hours from Saturday noon EDT end on Sunday at 11:00 EST.
      expect(iso(addBusinessMs(at("2024-11-02T16:00:00Z"), 24 * HOUR, newYork))).to.equal(
        "2024-11-03T16:00:00.000Z",
      );
    });

    it("shortens a window that a spring-forward night cuts into", () => {
      const night = {
        timeZone: "America/New_York",
        week: [null, null, null, null, null, null, { start: "01:00", end: "04:00" }],
      };
      // Sunday 10 March 2024, 01:00 EST to 04:00 EDT: two real hours.
      expect(
        businessMsBetween(at("2024-03-10T00:00:00Z"), at("2024-03-11T00:00:00Z"), night),
      ).to.equal(2 * HOUR);
      const fromGap = {
        ...night,
        week: [...night.week.slice(0, 6), { start: "02:30", end: "05:00" }],
      };
      // 02:30 does not exist: the window opens at 03:30 EDT.
      expect(
        businessMsBetween(at("2024-03-10T00:00:00Z"), at("2024-03-11T00:00:00Z"), fromGap),
      ).to.equal(1.5 * HOUR);
      // The fall-back night's window is an hour longer.
      expect(
        businessMsBetween(at("2024-11-03T00:00:00Z"), at("2024-11-04T00:00:00Z"), night),
      ).to.equal(4 * HOUR);
    });

    it("leaves paused spans out, and stops for good at a pause without end", () => {
      const monday10 = at("2024-03-04T15:00:00Z");
      const pause = { start: at("2024-03-04T15:20:00Z"), end: at("2024-03-04T18:00:00Z") };
      expect(iso(addBusinessMs(monday10, 60 * MIN, NEW_YORK, [pause]))).to.equal(
        "2024-03-04T18:40:00.000Z",
      );
      // Paused overnight into Tuesday 10:00: 20 minutes Monday, 40 from Tuesday 10:00.
      const overnight = { start: pause.start, end: at("2024-03-05T15:00:00Z") };
      expect(iso(addBusinessMs(monday10, 60 * MIN, NEW_YORK, [overnight]))).to.equal(
        "2024-03-05T15:40:00.000Z",
      );
      const forever = { start: pause.start, end: Infinity };
      expect(addBusinessMs(monday10, 60 * MIN, NEW_YORK, [forever])).to.equal(null);
      expect(businessMsBetween(monday10, at("2024-03-20T00:00:00Z"), NEW_YORK, [forever])).to.equal(
        20 * MIN,
      );
      // Overlapping pauses count once.
      expect(
        businessMsBetween(monday10, at("2024-03-04T16:00:00Z"), NEW_YORK, [
          { start: at("2024-03-04T15:10:00Z"), end: at("2024-03-04T15:30:00Z") },
          { start: at("2024-03-04T15:20:00Z"), end: at("2024-03-04T15:40:00Z") },
        ]),
      ).to.equal(30 * MIN);
    });
  });

  describe("evaluateSla", () => {
    const terms: SlaTerms = Object.freeze<SlaTerms>({
      firstResponseMinutes: 60,
      resolutionMinutes: 8 * 60,
      hours: NEW_YORK,
      pauseStatuses: ["pending_customer", "pending_distributor"],
    });
    const created = at("2024-03-04T15:00:00Z"); // Monday 10:00 EST
    const timeline = (
      statuses: [string, SlaTimeline["statuses"][number]["status"]][],
      firstResponseAt: string | null = null,
    ): SlaTimeline => ({
      createdAt: created,
      statuses: [
        { at: created, status: "new" },
        ...statuses.map(([time, status]) => ({ at: at(time), status })),
      ],
      firstResponseAt: firstResponseAt === null ? null : at(firstResponseAt),
    });

    it("runs both clocks from the opening", () => {
      const sut = evaluateSla(timeline([]), terms, at("2024-03-04T15:30:00Z"));
      expect(sut.firstResponse).to.deep.include({
        state: "running",
        dueAt: at("2024-03-04T16:00:00Z"),
        elapsedMs: 30 * MIN,
        remainingMs: 30 * MIN,
        breached: false,
      });
      // Eight hours: seven on Monday, one on Tuesday from 09:00 EST.
      expect(iso(sut.resolution!.dueAt)).to.equal("2024-03-05T15:00:00.000Z");
      expect(iso(sut.nextDueAt)).to.equal("2024-03-04T16:00:00.000Z");
      expect(sut.pausedSince).to.equal(null);
    });

    it("freezes the remaining time while waiting on the customer, and moves the due date after", () => {
      const waiting = timeline([["2024-03-04T15:20:00Z", "pending_customer"]]);
      const paused = evaluateSla(waiting, terms, at("2024-03-04T17:00:00Z"));
      expect(paused.firstResponse).to.deep.include({
        state: "paused",
        dueAt: null,
        remainingMs: 40 * MIN,
        breached: false,
      });
      expect(paused.pausedSince).to.equal(at("2024-03-04T15:20:00Z"));
      expect(paused.nextDueAt).to.equal(null);

      const resumed = timeline([
        ["2024-03-04T15:20:00Z", "pending_customer"],
        ["2024-03-04T18:00:00Z", "open"],
      ]);
      const sut = evaluateSla(resumed, terms, at("2024-03-04T18:10:00Z"));
      expect(sut.firstResponse).to.deep.include({
        state: "running",
        dueAt: at("2024-03-04T18:40:00Z"),
        remainingMs: 30 * MIN,
      });
      // Resolution: 20 min before the pause and 13:00-17:00 EST on Monday, 3 h 40 on Tuesday.
      expect(iso(sut.resolution!.dueAt)).to.equal("2024-03-05T17:40:00.000Z");
    });

    it("does not pause for statuses the policy does not name", () => {
      const internal = timeline([["2024-03-04T15:20:00Z", "pending_internal"]]);
      const sut = evaluateSla(internal, terms, at("2024-03-04T16:30:00Z"));
      expect(sut.firstResponse).to.deep.include({ state: "running", breached: true });
      expect(sut.firstResponse!.remainingMs).to.equal(-30 * MIN);
    });

    it("meets the first response at the first agent reply, late or not", () => {
      const onTime = evaluateSla(
        timeline([], "2024-03-04T15:45:00Z"),
        terms,
        at("2024-03-05T00:00:00Z"),
      );
      expect(onTime.firstResponse).to.deep.include({
        state: "met",
        achievedAt: at("2024-03-04T15:45:00Z"),
        breached: false,
      });
      expect(onTime.nextDueAt).to.equal(onTime.resolution!.dueAt);
      const late = evaluateSla(
        timeline([], "2024-03-04T16:30:00Z"),
        terms,
        at("2024-03-05T00:00:00Z"),
      );
      expect(late.firstResponse).to.deep.include({ state: "met", breached: true });
    });

    it("stays breached when it is paused after falling due", () => {
      const sut = evaluateSla(
        timeline([["2024-03-04T16:30:00Z", "pending_distributor"]]),
        terms,
        at("2024-03-06T00:00:00Z"),
      );
      expect(sut.firstResponse).to.deep.include({
        state: "paused",
        dueAt: at("2024-03-04T16:00:00Z"),
        breached: true,
        remainingMs: -30 * MIN,
      });
    });

    it("stops at resolution, and leaves the resolved span out after a reopening", () => {
      const resolved = timeline([["2024-03-04T16:00:00Z", "resolved"]], "2024-03-04T15:30:00Z");
      const done = evaluateSla(resolved, terms, at("2024-03-08T00:00:00Z"));
      expect(done.resolution).to.deep.include({
        state: "met",
        achievedAt: at("2024-03-04T16:00:00Z"),
        breached: false,
        elapsedMs: HOUR,
      });
      expect(done.nextDueAt).to.equal(null);

      const reopened = timeline(
        [
          ["2024-03-04T16:00:00Z", "resolved"],
          ["2024-03-05T15:00:00Z", "open"],
        ],
        "2024-03-04T15:30:00Z",
      );
      const sut = evaluateSla(reopened, terms, at("2024-03-05T15:00:00Z"));
      // One hour used on Monday; seven more from Tuesday 10:00 EST.
      expect(iso(sut.resolution!.dueAt)).to.equal("2024-03-05T22:00:00.000Z");
      expect(sut.resolution!.state).to.equal("running");
    });

    it("stops an unanswered first response when the ticket is closed", () => {
      const sut = evaluateSla(
        timeline([["2024-03-04T15:10:00Z", "closed"]]),
        terms,
        at("2024-03-10T00:00:00Z"),
      );
      expect(sut.firstResponse).to.deep.include({ state: "stopped", breached: false });
    });

    it("leaves out a target the policy does not set", () => {
      const sut = evaluateSla(timeline([]), { ...terms, firstResponseMinutes: null }, created);
      expect(sut.firstResponse).to.equal(null);
      expect(sut.nextDueAt).to.equal(sut.resolution!.dueAt);
    });
  });

  describe("businessHoursProblems", () => {
    it("names each problem with its path", () => {
      expect(businessHoursProblems(NEW_YORK)).to.deep.equal([]);
      const bad = {
        timeZone: "Nowhere/Land",
        week: [
          { start: "17:00", end: "09:00" },
          { start: "9", end: "17:00" },
          null,
          null,
          null,
          null,
          null,
        ],
      };
      expect(businessHoursProblems(bad)).to.deep.equal([
        ["timeZone", "is not a known IANA time zone (e.g. America/New_York)"],
        ["week.0.end", "must be after the start"],
        ["week.1.start", "must be a time HH:MM"],
      ]);
      expect(
        businessHoursProblems({
          timeZone: "UTC",
          week: [null, null, null, null, null, null, null],
        }),
      ).to.deep.equal([["week", "must have at least one working day"]]);
    });
  });

  it("formats durations for countdowns", () => {
    expect(formatDuration(45 * MIN)).to.equal("45m");
    expect(formatDuration(2 * HOUR + 5 * MIN)).to.equal("2h 05m");
    expect(formatDuration(-(3 * 24 + 4) * HOUR)).to.equal("3d 4h");
  });
});
