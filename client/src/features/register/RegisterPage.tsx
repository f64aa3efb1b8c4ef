import { useEffect, useRef, useState } from "preact/hooks";
import {
  AGENT_REPORT_STATUSES,
  REGISTER_CHECK_RESULTS,
  REGISTER_CHECK_SERVICES,
  REGISTER_REPORT_LABELS,
  REGISTER_RESULT_LABELS,
  REGISTER_SERVICE_LABELS,
} from "../../../../shared/domain/register";
import type {
  AgentReportStatus,
  RegisterCheckResult,
  RegisterCheckService,
} from "../../../../shared/domain/register";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { addRegisterEntry, logRegisterCheck, lookupImei } from "../../api/register";
import type { RegisterRecord, RegisterWritten } from "../../api/register";
import { ErrorMessage } from "../../components/ErrorMessage";
import { usePageTitle } from "../../components/usePageTitle";
import { RegisterEntries } from "./RegisterEntries";
import { REGISTER_STATUS_LABELS } from "./words";
import "./register.css";

/**
 * The lost/stolen register: look an IMEI up (its status is its latest report or decisive check),
 * read every report and check, report it lost or stolen or clear it, and log a manual check
 * with an external service. A flagged IMEI gets no RMA; a new ticket on it is flagged.
 */
export function RegisterPage({
  imei,
  onImei,
}: {
  imei: string | null;
  onImei: (imei: string) => void;
}) {
  usePageTitle("Lost/stolen register");
  const [query, setQuery] = useState(imei ?? "");
  const [record, setRecord] = useState<RegisterRecord | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    if (imei === null) {
      setRecord(null);
      return;
    }
    setQuery((current) => (current.trim() === "" ? imei : current));
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    lookupImei(imei, controller.signal)
      .then(setRecord, (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [imei]);

  const search = (event: Event) => {
    event.preventDefault();
    setError(null);
    setNotice("");
    setLoading(true);
    lookupImei(query)
      .then(
        (found) => {
          setRecord(found);
          setQuery(found.imei);
          onImei(found.imei);
        },
        (failure: unknown) => {
          setRecord(null);
          setError(asApiError(failure));
        },
      )
      .finally(() => setLoading(false));
  };

  const written = (result: RegisterWritten, message: string) => {
    setRecord(result.register);
    setNotice(message);
  };

  return (
    <div class="register-page">
      <h1 ref={heading} tabIndex={-1}>
        Lost/stolen register
      </h1>
      <p class="muted">
        Customers' reports, agents' entries and the external checks agents log, per IMEI. An IMEI's
        status is its latest report or check (an inconclusive check changes nothing). While it is
        flagged, no RMA opens on its handset, and every new ticket on it is flagged.
      </p>
      <form class="register-search card" role="search" onSubmit={search}>
        <div class="field">
          <label for="register-imei">IMEI</label>
          <input
            id="register-imei"
            inputMode="numeric"
            autoComplete="off"
            spellcheck={false}
            value={query}
            aria-describedby="register-imei-hint"
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
          <p id="register-imei-hint" class="muted field__hint">
            15 digits (spaces and dashes are fine), or the 16 of an IMEISV.
          </p>
        </div>
        <button type="submit" class="button" disabled={loading || query.trim() === ""}>
          Look up
        </button>
      </form>
      <p class="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {error !== null && <ErrorMessage error={error} title="The IMEI could not be looked up" />}
      {loading && record === null && <p role="status">Loading…</p>}
      {record !== null && (
        <div class="register-result">
          <section class="card register-record" aria-labelledby="register-record-title">
            <h2 id="register-record-title" class="card__title">
              IMEI <span class="register-imei">{record.imei}</span>
            </h2>
            <p>
              <span class={`register-status register-status--${record.status}`}>
                {REGISTER_STATUS_LABELS[record.status]}
              </span>
            </p>
            <p class="muted">
              {record.handsetIds.length === 0
                ? "No handset on record carries this IMEI."
                : record.handsetIds.length === 1
                  ? "One handset on record carries this IMEI."
                  : `${record.handsetIds.length} handsets on record carry this IMEI (a clash).`}
            </p>
            {notice !== "" && <p class="register-notice">{notice}</p>}
            <h3>Reports and checks</h3>
            <RegisterEntries entries={record.entries} decidedBy={record.decidedBy} />
          </section>
          <div class="register-forms">
            <ReportForm imei={record.imei} onWritten={written} />
            <CheckForm imei={record.imei} onWritten={written} />
          </div>
        </div>
      )}
    </div>
  );
}

function ReportForm({
  imei,
  onWritten,
}: {
  imei: string;
  onWritten: (result: RegisterWritten, message: string) => void;
}) {
  const [status, setStatus] = useState<AgentReportStatus>("stolen");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    addRegisterEntry({ imei, status, note })
      .then(
        (result) => {
          setNote("");
          onWritten(result, `${REGISTER_REPORT_LABELS[status]}: entry recorded.`);
        },
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form class="card form" aria-labelledby="register-report-title" onSubmit={submit}>
      <h2 id="register-report-title" class="card__title">
        Report or clear
      </h2>
      {error !== null && <ErrorMessage error={error} title="The entry was not recorded" />}
      <div class="field">
        <label for="register-report-status">Entry</label>
        <select
          id="register-report-status"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value as AgentReportStatus)}
        >
          {AGENT_REPORT_STATUSES.map((value) => (
            <option key={value} value={value}>
              {REGISTER_REPORT_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="register-report-note">Note</label>
        <textarea
          id="register-report-note"
          rows={3}
          required
          maxLength={2000}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
        <p class="muted field__hint">Who reported it, how, a police report number.</p>
      </div>
      <button type="submit" class="button" disabled={busy || note.trim() === ""}>
        Record entry
      </button>
    </form>
  );
}

function CheckForm({
  imei,
  onWritten,
}: {
  imei: string;
  onWritten: (result: RegisterWritten, message: string) => void;
}) {
  const [service, setService] = useState<RegisterCheckService>("ctia_stolen_phone_checker");
  const [result, setResult] = useState<RegisterCheckResult>("clear");
  const [reference, setReference] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    logRegisterCheck({
      imei,
      service,
      result,
      ...(reference.trim() === "" ? {} : { reference }),
      ...(note.trim() === "" ? {} : { note }),
    })
      .then(
        (written) => {
          setReference("");
          setNote("");
          onWritten(
            written,
            `Check with ${REGISTER_SERVICE_LABELS[service]} logged: ${REGISTER_RESULT_LABELS[result].toLowerCase()}.`,
          );
        },
        (failure: unknown) => setError(asApiError(failure)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form class="card form" aria-labelledby="register-check-title" onSubmit={submit}>
      <h2 id="register-check-title" class="card__title">
        Log an external check
      </h2>
      {error !== null && <ErrorMessage error={error} title="The check was not logged" />}
      <div class="field">
        <label for="register-check-service">Service</label>
        <select
          id="register-check-service"
          value={service}
          onChange={(event) => setService(event.currentTarget.value as RegisterCheckService)}
        >
          {REGISTER_CHECK_SERVICES.map((value) => (
            <option key={value} value={value}>
              {REGISTER_SERVICE_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="register-results">
        <legend>Result</legend>
        {REGISTER_CHECK_RESULTS.map((value) => (
          <label key={value} class="checkbox">
            <input
              type="radio"
              name="register-check-result"
              value={value}
              checked={result === value}
              onChange={() => setResult(value)}
            />
            {REGISTER_RESULT_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="register-check-reference">Reference (optional)</label>
        <input
          id="register-check-reference"
          maxLength={120}
          value={reference}
          onInput={(event) => setReference(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="register-check-note">Note (optional)</label>
        <textarea
          id="register-check-note"
          rows={2}
          maxLength={2000}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        Log check
      </button>
    </form>
  );
}
