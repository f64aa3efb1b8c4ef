import { useEffect, useRef, useState } from "preact/hooks";
import type { AssignmentStatusDto } from "../../../../shared/contracts/http/assignment";
import type { SlaPolicyDto } from "../../../../shared/contracts/http/sla";
import { SlaLimits } from "../../../../shared/domain/limits";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { CATEGORIES, PRIORITIES } from "../../../../shared/domain/enums";
import type { Category, Priority } from "../../../../shared/domain/enums";
import {
  DEFAULT_PAUSE_STATUSES,
  SLA_PAUSABLE_STATUSES,
  WEEKDAYS,
  businessHoursProblems,
  formatDuration,
} from "../../../../shared/domain/sla";
import type { BusinessHours, DayHours, SlaPausableStatus } from "../../../../shared/domain/sla";
import { fetchAssignment, setAutoAssignNew } from "../../api/assignment";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from "../../api/sla";
import type { SlaPolicyFields } from "../../api/sla";
import { ErrorMessage } from "../../components/ErrorMessage";
import { usePageTitle } from "../../components/usePageTitle";
import { AGENT_STATUS_LABELS, CATEGORY_LABELS, PRIORITY_LABELS } from "../tickets/labels";
import "./sla.css";

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/** Every IANA zone the browser knows, for the time-zone field's suggestions. */
function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

const NEW_POLICY: SlaPolicyFields = {
  name: "",
  priority: "normal",
  category: null,
  firstResponseMinutes: 8 * 60,
  resolutionMinutes: 5 * 8 * 60,
  businessHours: {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    week: WEEKDAYS.map((day) =>
      day === "sat" || day === "sun" ? null : { start: "09:00", end: "17:00" },
    ),
  },
  pauseStatuses: [...DEFAULT_PAUSE_STATUSES],
};

/**
 * SLA policies (admins change them; agents read them) and round-robin assignment: who is online
 * to take tickets, and the switch that assigns new ones as they arrive.
 */
export function SlaPolicyPage({ user }: { user: UserDto }) {
  usePageTitle("SLA and assignment");
  const [policies, setPolicies] = useState<SlaPolicyDto[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const [adding, setAdding] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const admin = user.role === "admin";

  const reload = () =>
    listSlaPolicies().then(setPolicies, (failure: unknown) => setError(asApiError(failure)));

  useEffect(() => {
    heading.current?.focus();
    const controller = new AbortController();
    listSlaPolicies(controller.signal).then(setPolicies, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);

  return (
    <div class="sla-admin">
      <h1 ref={heading} tabIndex={-1}>
        SLA and assignment
      </h1>
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      <AssignmentCard admin={admin} />
      <h2>SLA policies</h2>
      <p class="muted">
        Targets count business minutes in each policy's opening hours, and stop while a ticket waits
        in a pause status. A category's own policy comes before its priority's general one. Every
        open ticket is recomputed when a policy changes.
      </p>
      {error !== null && <ErrorMessage error={error} title="The policies could not load" />}
      {policies === null ? (
        error === null && <p role="status">Loading…</p>
      ) : (
        <div class="sla-policies">
          {policies.map((policy) => (
            <PolicyCard
              key={policy.id}
              policy={policy}
              admin={admin}
              onSaved={(message) => {
                setNotice(message);
                void reload();
              }}
            />
          ))}
        </div>
      )}
      {admin &&
        (adding ? (
          <section class="card" aria-labelledby="new-policy-title">
            <h2 id="new-policy-title" class="card__title">
              New policy
            </h2>
            <PolicyForm
              idPrefix="new-policy"
              initial={NEW_POLICY}
              submitLabel="Add policy"
              onSubmit={async (fields) => {
                await createSlaPolicy(fields);
                setAdding(false);
                setNotice(`Policy ${fields.name} added.`);
                await reload();
              }}
              onCancel={() => setAdding(false)}
            />
          </section>
        ) : (
          <button type="button" class="button button--secondary" onClick={() => setAdding(true)}>
            Add a policy
          </button>
        ))}
    </div>
  );
}

function AssignmentCard({ admin }: { admin: boolean }) {
  const [status, setStatus] = useState<AssignmentStatusDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetchAssignment(controller.signal).then(setStatus, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, []);
  return (
    <section class="card" aria-labelledby="assignment-title">
      <h2 id="assignment-title" class="card__title">
        Round-robin assignment
      </h2>
      {error !== null && <ErrorMessage error={error} title="Assignment could not load" />}
      {status !== null && (
        <>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={status.autoAssignNew}
              disabled={!admin || busy}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                const before = status;
                setStatus({ ...status, autoAssignNew: on });
                setBusy(true);
                setError(null);
                setAutoAssignNew(on)
                  .then(setStatus, (failure: unknown) => {
                    setStatus(before);
                    setError(asApiError(failure));
                  })
                  .finally(() => setBusy(false));
              }}
            />
            Assign new tickets in turn to the agents online
          </label>
          {!admin && <p class="muted field__hint">Only admins turn this on or off.</p>}
          <p class="muted">
            {status.online.length === 0
              ? "Nobody is online in the console right now."
              : `Online now: ${status.online
                  .map((agent) => `${agent.name} (${agent.openAssigned} open)`)
                  .join(", ")}.`}
          </p>
        </>
      )}
    </section>
  );
}

function targetText(minutes: number | null): string {
  return minutes === null ? "none" : formatDuration(minutes * 60_000);
}

function PolicyCard({
  policy,
  admin,
  onSaved,
}: {
  policy: SlaPolicyDto;
  admin: boolean;
  onSaved: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const scope = `${PRIORITY_LABELS[policy.priority]} · ${
    policy.category === null ? "any category" : CATEGORY_LABELS[policy.category]
  }`;
  const hours = policy.businessHours;
  return (
    <section class="card sla-policy" aria-labelledby={`policy-${policy.id}`}>
      <div class="sla-policy__head">
        <h3 id={`policy-${policy.id}`} class="card__title" dir="auto">
          {policy.name}
        </h3>
        <span class="muted">{scope}</span>
      </div>
      <p>
        First response {targetText(policy.firstResponseMinutes)} · resolution{" "}
        {targetText(policy.resolutionMinutes)} (business time) · {hours.timeZone}:{" "}
        {WEEKDAYS.map((day, index) => {
          const window = hours.week[index];
          return window === null
            ? null
            : `${DAY_NAMES[day].slice(0, 3)} ${window.start}–${window.end}`;
        })
          .filter((text) => text !== null)
          .join(", ")}
        {" · paused in "}
        {policy.pauseStatuses.map((status) => AGENT_STATUS_LABELS[status]).join(", ") || "nothing"}
      </p>
      {error !== null && <ErrorMessage error={error} title="The policy was not removed" />}
      {admin && !editing && (
        <div class="button-row">
          <button
            type="button"
            class="button button--secondary button--small"
            onClick={() => setEditing(true)}
          >
            Edit {policy.name}
          </button>
          <button
            type="button"
            class="button button--quiet button--small"
            onClick={() => {
              setError(null);
              deleteSlaPolicy(policy.id).then(
                () => onSaved(`Policy ${policy.name} removed.`),
                (failure: unknown) => setError(asApiError(failure)),
              );
            }}
          >
            Remove
          </button>
        </div>
      )}
      {editing && (
        <PolicyForm
          idPrefix={`policy-${policy.id}`}
          initial={policy}
          submitLabel="Save policy"
          onSubmit={async (fields) => {
            await updateSlaPolicy(policy.id, fields);
            setEditing(false);
            onSaved(`Policy ${fields.name} saved; open tickets got new due dates.`);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </section>
  );
}

function minutesField(text: string): number | null | "invalid" {
  if (text.trim() === "") {
    return null;
  }
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 && value <= SlaLimits.targetMinutesMax
    ? value
    : "invalid";
}

function PolicyForm({
  idPrefix,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial: SlaPolicyFields;
  submitLabel: string;
  onSubmit: (fields: SlaPolicyFields) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [priority, setPriority] = useState<Priority>(initial.priority);
  const [category, setCategory] = useState<Category | "">(initial.category ?? "");
  const [firstResponse, setFirstResponse] = useState(String(initial.firstResponseMinutes ?? ""));
  const [resolution, setResolution] = useState(String(initial.resolutionMinutes ?? ""));
  const [timeZone, setTimeZone] = useState(initial.businessHours.timeZone);
  const [week, setWeek] = useState<(DayHours | null)[]>(initial.businessHours.week);
  const [pauses, setPauses] = useState<SlaPausableStatus[]>(initial.pauseStatuses);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = (field: string) => `${idPrefix}-${field}`;
  const zones = knownZones();

  const setDay = (index: number, value: DayHours | null) =>
    setWeek((current) => current.map((day, i) => (i === index ? value : day)));

  const submit = (event: Event) => {
    event.preventDefault();
    const first = minutesField(firstResponse);
    const resolve = minutesField(resolution);
    if (first === "invalid" || resolve === "invalid") {
      setProblem("Targets are whole numbers of minutes (or empty for none).");
      return;
    }
    if (first === null && resolve === null) {
      setProblem("Set a first-response or a resolution target.");
      return;
    }
    const businessHours: BusinessHours = { timeZone: timeZone.trim(), week };
    const problems = businessHoursProblems(businessHours);
    if (problems.length > 0) {
      setProblem(problems.map(([path, message]) => `${path} ${message}`).join("; "));
      return;
    }
    setProblem(null);
    setBusy(true);
    setError(null);
    onSubmit({
      name: name.trim(),
      priority,
      category: category === "" ? null : category,
      firstResponseMinutes: first,
      resolutionMinutes: resolve,
      businessHours,
      pauseStatuses: pauses,
    })
      .catch((failure: unknown) => setError(asApiError(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <form class="form" onSubmit={submit}>
      <div class="sla-policy__grid">
        <div class="field field--compact">
          <label for={id("name")}>Policy name</label>
          <input
            id={id("name")}
            required
            maxLength={SlaLimits.nameMax}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for={id("priority")}>For priority</label>
          <select
            id={id("priority")}
            value={priority}
            onChange={(event) => setPriority(event.currentTarget.value as Priority)}
          >
            {PRIORITIES.map((value) => (
              <option key={value} value={value}>
                {PRIORITY_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for={id("category")}>For category</label>
          <select
            id={id("category")}
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value as Category | "")}
          >
            <option value="">Any category</option>
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {CATEGORY_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for={id("first")}>First response (minutes)</label>
          <input
            id={id("first")}
            inputMode="numeric"
            value={firstResponse}
            onInput={(event) => setFirstResponse(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for={id("resolution")}>Resolution (minutes)</label>
          <input
            id={id("resolution")}
            inputMode="numeric"
            value={resolution}
            onInput={(event) => setResolution(event.currentTarget.value)}
          />
        </div>
        <div class="field field--compact">
          <label for={id("zone")}>Time zone (IANA)</label>
          <input
            id={id("zone")}
            required
            list={zones.length > 0 ? id("zones") : undefined}
            value={timeZone}
            onInput={(event) => setTimeZone(event.currentTarget.value)}
          />
          {zones.length > 0 && (
            <datalist id={id("zones")}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          )}
        </div>
      </div>
      <fieldset class="sla-week">
        <legend>Opening hours</legend>
        {WEEKDAYS.map((day, index) => {
          const window = week[index];
          return (
            <div class="sla-week__day" key={day}>
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={window !== null}
                  onChange={(event) =>
                    setDay(
                      index,
                      event.currentTarget.checked ? { start: "09:00", end: "17:00" } : null,
                    )
                  }
                />
                {DAY_NAMES[day]}
              </label>
              {window !== null && (
                <>
                  <input
                    type="time"
                    aria-label={`${DAY_NAMES[day]} opens`}
                    value={window.start}
                    onInput={(event) =>
                      setDay(index, { ...window, start: event.currentTarget.value })
                    }
                  />
                  <input
                    type={window.end === "24:00" ? "text" : "time"}
                    aria-label={`${DAY_NAMES[day]} closes`}
                    value={window.end}
                    onInput={(event) =>
                      setDay(index, { ...window, end: event.currentTarget.value })
                    }
                  />
                </>
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset class="sla-pauses">
        <legend>The clock pauses while a ticket is</legend>
        {SLA_PAUSABLE_STATUSES.map((status) => (
          <label class="checkbox" key={status}>
            <input
              type="checkbox"
              checked={pauses.includes(status)}
              onChange={(event) =>
                setPauses((current) =>
                  event.currentTarget.checked
                    ? SLA_PAUSABLE_STATUSES.filter((s) => s === status || current.includes(s))
                    : current.filter((s) => s !== status),
                )
              }
            />
            {AGENT_STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
      {problem !== null && (
        <p class="field__error" role="alert">
          {problem}
        </p>
      )}
      {error !== null && <ErrorMessage error={error} title="The policy was not saved" />}
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
