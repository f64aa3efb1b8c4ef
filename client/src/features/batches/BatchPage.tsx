import { useEffect, useRef, useState } from "preact/hooks";
import type {
  BatchDto,
  ImportIssueCode,
  ImportReportDto,
} from "../../../../shared/contracts/http/batches";
import type { UserDto } from "../../../../shared/contracts/http/tickets";
import { getBatch, importBatchCsv, updateBatch } from "../../api/batches";
import { ApiError, asApiError, isAbortError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { FormFooter } from "../../components/FormFooter";
import { usePageTitle } from "../../components/usePageTitle";
import "./batches.css";
import { consoleHref } from "../../app/routes";
import { count, termsLabel } from "./BatchesPage";

/** What each problem code of the import report means, in a few words. */
export const ISSUE_LABELS: Record<ImportIssueCode, string> = {
  unreadable: "Unreadable line",
  imei_missing: "No IMEI",
  imei_invalid: "Not a valid IMEI",
  imei_repeated: "IMEI 2 repeats IMEI 1",
  serial_invalid: "Bad serial number",
  imei_wiped: "Wiped IMEI (all zeros)",
  imei_test_range: "Test-range IMEI",
  tac_unknown: "Unknown TAC",
  tac_other_model: "TAC of another model",
  variant_unknown: "Unknown variant",
  rom_region_invalid: "Bad ROM region",
  date_invalid: "Bad date",
  warranty_dates: "Warranty dates disagree",
  warranty_source_invalid: "Bad warranty source",
};

/** A batch: its facts, its warranty terms, and the upload of the distributor's CSV (admins). */
export function BatchPage({ id, user }: { id: string; user: UserDto }) {
  const [batch, setBatch] = useState<BatchDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(batch === null ? "Batch" : `Batch ${batch.reference}`);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    getBatch(id, controller.signal).then(
      (loaded) => {
        setBatch(loaded);
        requestAnimationFrame(() => heading.current?.focus());
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [id]);

  const reload = () => {
    getBatch(id).then(setBatch, (failure: unknown) => setError(asApiError(failure)));
  };

  if (batch === null) {
    return (
      <div class="admin batches">
        <p>
          <a href={consoleHref({ view: "batches" })}>← Import batches</a>
        </p>
        {error !== null ? (
          <ErrorMessage error={error} title="The batch could not load" />
        ) : (
          <p role="status">Loading…</p>
        )}
      </div>
    );
  }

  return (
    <div class="admin batches">
      <p>
        <a href={consoleHref({ view: "batches" })}>← Import batches</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Batch {batch.reference}
      </h1>
      <section class="card" aria-labelledby="batch-facts-title">
        <h2 id="batch-facts-title" class="card__title">
          Shipment
        </h2>
        <dl class="batch__facts">
          <dt>Distributor</dt>
          <dd dir="auto">{batch.distributor?.name ?? "—"}</dd>
          <dt>Variant</dt>
          <dd dir="auto">
            {batch.variant
              ? `${batch.variant.brand} ${batch.variant.model} ${batch.variant.name}`
              : "Not set: each line's TAC names the model"}
          </dd>
          <dt>ROM region</dt>
          <dd>{batch.romRegion ?? "—"}</dd>
          <dt>Units</dt>
          <dd>
            {count(batch.units)}
            {batch.quantity !== null && ` of ${count(batch.quantity)} declared`}
          </dd>
          <dt>Received</dt>
          <dd>{batch.receivedOn ?? "—"}</dd>
          <dt>Warranty terms</dt>
          <dd>{termsLabel(batch)}</dd>
        </dl>
      </section>
      {user.role === "admin" && (
        <>
          <WarrantyTermsForm batch={batch} onSaved={setBatch} />
          <ImportCard batch={batch} onImported={reload} />
        </>
      )}
    </div>
  );
}

function WarrantyTermsForm({
  batch,
  onSaved,
}: {
  batch: BatchDto;
  onSaved: (b: BatchDto) => void;
}) {
  const [months, setMonths] = useState(batch.warrantyMonths?.toString() ?? "");
  const [doaDays, setDoaDays] = useState(batch.doaDays?.toString() ?? "");
  const [rule, setRule] = useState<"import_date" | "date">(
    batch.warrantyStartRule ?? "import_date",
  );
  const [startOn, setStartOn] = useState(batch.warrantyStartOn ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState("");
  const fieldError = (path: string) => error?.detailFor(path);

  const numberField = (
    fieldId: string,
    path: string,
    label: string,
    value: string,
    set: (value: string) => void,
    hint: string,
  ) => (
    <div class="field field--compact">
      <label for={fieldId}>{label}</label>
      <input
        id={fieldId}
        type="number"
        inputMode="numeric"
        min={0}
        value={value}
        aria-invalid={fieldError(path) !== undefined}
        aria-describedby={`${fieldId}-hint${fieldError(path) !== undefined ? ` ${fieldId}-error` : ""}`}
        onInput={(event) => set(event.currentTarget.value)}
      />
      <p id={`${fieldId}-hint`} class="muted field__hint">
        {hint}
      </p>
      {fieldError(path) !== undefined && (
        <p id={`${fieldId}-error`} class="field__error">
          {fieldError(path)}
        </p>
      )}
    </div>
  );

  return (
    <section class="card" aria-labelledby="batch-terms-title">
      <h2 id="batch-terms-title" class="card__title">
        Warranty terms
      </h2>
      <p class="muted">
        Given to each unit as it is imported, unless its line has warranty columns of its own.
        Without terms, imported units stay "pending" until an agent records their dates.
      </p>
      <form
        class="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          setSaved("");
          updateBatch(batch.id, {
            warrantyMonths: months === "" ? null : Number(months),
            doaDays: doaDays === "" ? null : Number(doaDays),
            warrantyStartRule: months === "" && doaDays === "" ? null : rule,
            warrantyStartOn: rule === "date" && startOn !== "" ? startOn : null,
          })
            .then(
              (updated) => {
                onSaved(updated);
                setSaved("Warranty terms saved. They apply to units imported from now on.");
              },
              (failure: unknown) => setError(asApiError(failure)),
            )
            .finally(() => setBusy(false));
        }}
      >
        {numberField(
          "terms-months",
          "warrantyMonths",
          "Warranty (months)",
          months,
          setMonths,
          "Empty: no warranty terms",
        )}
        {numberField(
          "terms-doa",
          "doaDays",
          "DOA window (days)",
          doaDays,
          setDoaDays,
          "Days from the start, the start included",
        )}
        <fieldset class="field field--compact terms__rule">
          <legend>The warranty starts</legend>
          <label class="checkbox">
            <input
              type="radio"
              name="terms-rule"
              checked={rule === "import_date"}
              onChange={() => setRule("import_date")}
            />{" "}
            on the import day
          </label>
          <label class="checkbox">
            <input
              type="radio"
              name="terms-rule"
              checked={rule === "date"}
              onChange={() => setRule("date")}
            />{" "}
            on a given date
          </label>
        </fieldset>
        <div class="field field--compact">
          <label for="terms-start">Start date</label>
          <input
            id="terms-start"
            type="date"
            value={startOn}
            disabled={rule !== "date"}
            aria-invalid={fieldError("warrantyStartOn") !== undefined}
            aria-describedby={
              fieldError("warrantyStartOn") !== undefined ? "terms-start-error" : undefined
            }
            onInput={(event) => setStartOn(event.currentTarget.value)}
          />
          {fieldError("warrantyStartOn") !== undefined && (
            <p id="terms-start-error" class="field__error">
              {fieldError("warrantyStartOn")}
            </p>
          )}
        </div>
        <FormFooter
          error={error}
          errorTitle="The terms were not saved"
          busy={busy}
          busyLabel="Saving…"
          submit="Save terms"
        >
          <span role="status" class="muted">
            {saved}
          </span>
        </FormFooter>
      </form>
    </section>
  );
}

type Outcome =
  | { kind: "report"; report: ImportReportDto }
  | { kind: "refused"; error: ApiError }
  | { kind: "failed"; error: ApiError };

function ImportCard({ batch, onImported }: { batch: BatchDto; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState<"check" | "import" | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const result = useRef<HTMLDivElement>(null);

  const run = (dryRun: boolean) => {
    if (file === null) {
      return;
    }
    setBusy(dryRun ? "check" : "import");
    setOutcome(null);
    setProgress(0);
    importBatchCsv(batch.id, file, {
      // A check lists every problem, whatever the choice; an import follows it.
      skipInvalid: dryRun || skipInvalid,
      dryRun,
      onProgress: (loaded, total) => setProgress(Math.round((loaded * 100) / total)),
    })
      .then(
        (report) => {
          setOutcome({ kind: "report", report });
          if (!dryRun) {
            onImported();
          }
        },
        (failure: unknown) => {
          const error = asApiError(failure);
          const refused =
            error instanceof ApiError &&
            error.code === "validation_failed" &&
            error.details.some((detail) => detail.path.startsWith("line "));
          setOutcome({ kind: refused ? "refused" : "failed", error });
        },
      )
      .finally(() => {
        setBusy(null);
        setProgress(null);
        requestAnimationFrame(() => result.current?.focus());
      });
  };

  return (
    <section class="card" aria-labelledby="batch-import-title">
      <h2 id="batch-import-title" class="card__title">
        Import the distributor's CSV
      </h2>
      <p class="muted">
        A header line naming <code>imei</code> (or <code>imei1</code>), and optionally{" "}
        <code>imei2</code>, <code>serial</code>, <code>variant</code>, <code>rom region</code>,{" "}
        <code>warranty source</code>, <code>warranty start</code>, <code>warranty end</code>,{" "}
        <code>doa deadline</code> (dates YYYY-MM-DD). Every IMEI is checked against the catalogue
        and the batch's model; a file with a bad line imports nothing unless you skip the bad lines.
      </p>
      <form
        class="batch-import"
        onSubmit={(event) => {
          event.preventDefault();
          run(false);
        }}
      >
        <div class="field">
          <label for="batch-file">CSV file</label>
          <input
            id="batch-file"
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setOutcome(null);
            }}
          />
        </div>
        <label class="checkbox batch-import__skip">
          <input
            type="checkbox"
            checked={skipInvalid}
            onChange={(event) => setSkipInvalid(event.currentTarget.checked)}
          />{" "}
          Skip invalid lines (import the good ones, list the rest)
        </label>
        <div class="button-row">
          <button
            type="button"
            class="button button--secondary"
            disabled={file === null || busy !== null}
            onClick={() => run(true)}
          >
            {busy === "check" ? "Checking…" : "Check the file"}
          </button>
          <button type="submit" class="button" disabled={file === null || busy !== null}>
            {busy === "import" ? "Importing…" : "Import"}
          </button>
        </div>
        {progress !== null && (
          <div class="upload-progress">
            <label for="batch-progress">
              {progress < 100 ? `Uploading: ${progress}%` : "Uploaded; checking the lines…"}
            </label>
            <progress id="batch-progress" max={100} value={progress}>
              {progress}%
            </progress>
          </div>
        )}
      </form>
      <div ref={result} tabIndex={-1} aria-live="polite">
        {outcome !== null && <ImportOutcome outcome={outcome} />}
      </div>
    </section>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "failed") {
    return <ErrorMessage error={outcome.error} title="The file was not imported" />;
  }
  if (outcome.kind === "refused") {
    return (
      <div class="import-report import-report--refused">
        <p class="import-report__headline" role="alert">
          Refused: nothing was imported. {outcome.error.message}.
        </p>
        <IssueTable
          caption="Lines with a problem"
          rows={outcome.error.details.map((detail) => ({
            line: Number(detail.path.replace("line ", "")),
            code: null,
            imei: null,
            message: detail.message,
          }))}
        />
        <p>Fix these lines, or tick "Skip invalid lines" to import the others.</p>
      </div>
    );
  }
  const { report } = outcome;
  const units = `${count(report.imported.units)} units (${count(report.imported.identifiers)} identifiers)`;
  const headline =
    report.status === "imported"
      ? `Imported ${units} into batch ${report.reference}.`
      : `Check only: ${units} would be imported; nothing was written.`;
  const dupes = report.duplicates;
  return (
    <div class="import-report">
      <p class="import-report__headline">{headline}</p>
      <ul class="import-report__summary">
        <li>Rows read: {count(report.rows)}</li>
        <li>
          Invalid lines: {count(report.invalid.count)}
          {report.invalid.count > 0 && (report.status === "imported" ? " (skipped)" : "")}
        </li>
        <li>
          Duplicates skipped: {count(dupes.inFile + dupes.inDatabase)} ({count(dupes.inFile)} within
          the file, {count(dupes.inDatabase)} already on record)
        </li>
        <li>
          Warranty: {count(report.warranty.fromFile)} from the file's columns,{" "}
          {count(report.warranty.fromBatch)} from the batch's terms,{" "}
          {count(report.warranty.pending)} pending
        </li>
      </ul>
      {report.invalid.items.length > 0 && (
        <IssueTable caption="Lines with a problem" rows={report.invalid.items} />
      )}
      {dupes.items.length > 0 && (
        <details>
          <summary>Duplicates ({count(dupes.items.length)})</summary>
          <ul>
            {dupes.items.map((item, index) => (
              <li key={`${item.line}-${index}`}>
                Line {item.line}: {item.kind === "imei" ? "IMEI" : "serial"} {item.value}{" "}
                {item.where === "file"
                  ? `repeats line ${item.firstLine}`
                  : "is already on a handset"}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function IssueTable({
  caption,
  rows,
}: {
  caption: string;
  rows: { line: number; code: ImportIssueCode | null; imei: string | null; message: string }[];
}) {
  return (
    <div class="table-wrap">
      <table class="table import-report__issues">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              Line
            </th>
            <th scope="col">Problem</th>
            <th scope="col">IMEI</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={`${row.line}-${index}`} data-code={row.code ?? undefined}>
              <td class="num">{row.line}</td>
              <td>{row.code === null ? "—" : ISSUE_LABELS[row.code]}</td>
              <td class="mono">{row.imei ?? "—"}</td>
              <td dir="auto">{row.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
