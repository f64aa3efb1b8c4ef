import { useEffect, useRef, useState } from "preact/hooks";
import type { BatchHealthDto, DefectRateRow } from "../../../../shared/contracts/http/batches";
import { batchHealth } from "../../api/batches";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { ErrorMessage } from "../../components/ErrorMessage";
import { usePageTitle } from "../../components/usePageTitle";
import "./batches.css";
import { consoleHref } from "../../app/routes";
import { count } from "./BatchesPage";
import { DefectTrendChart, monthLabel } from "./DefectTrendChart";

const rate = (n: number) => n.toFixed(2);

/** Which rows the chart draws: all batches, one batch, or one distributor's. */
type Scope = { kind: "all" } | { kind: "batch"; id: string } | { kind: "distributor"; id: string };

const scopeKey = (scope: Scope) => (scope.kind === "all" ? "all" : `${scope.kind}:${scope.id}`);

/**
 * Batch health: the defect rate (DOA and covered-defect units per 100 units) as a monthly trend
 * chart with the same figures in a table beneath it, then by batch and by distributor.
 */
export function BatchHealthPage() {
  usePageTitle("Batch health");
  const [months, setMonths] = useState(12);
  const [since, setSince] = useState("");
  const [report, setReport] = useState<BatchHealthDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [scope, setScope] = useState<Scope>({ kind: "all" });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    batchHealth({ months, since: since === "" ? undefined : since }, controller.signal).then(
      setReport,
      (failure: unknown) => {
        if (!isAbortError(failure)) {
          setError(asApiError(failure));
        }
      },
    );
    return () => controller.abort();
  }, [months, since]);

  const picked = (): { name: string; row: DefectRateRow } | null => {
    if (report === null) {
      return null;
    }
    if (scope.kind === "batch") {
      const row = report.batches.find((batch) => batch.id === scope.id);
      if (row) {
        return { name: `batch ${row.reference}`, row };
      }
    }
    if (scope.kind === "distributor") {
      const row = report.distributors.find((d) => (d.id ?? "none") === scope.id);
      if (row) {
        return { name: row.name, row };
      }
    }
    return { name: "all batches", row: report.overall };
  };
  const shown = picked();

  return (
    <div class="admin batch-health">
      <h1 ref={heading} tabIndex={-1}>
        Batch health
      </h1>
      <p>
        The defect rate of each shipment: units with a DOA return, and units with a return found to
        be a covered defect, per 100 units of the batch. Each unit counts once per kind.
      </p>
      <form class="inline-form batch-health__filters" onSubmit={(event) => event.preventDefault()}>
        <div class="field field--compact">
          <label for="health-scope">Chart</label>
          <select
            id="health-scope"
            value={scopeKey(scope)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              const [kind, id] = value.split(":");
              setScope(kind === "batch" || kind === "distributor" ? { kind, id } : { kind: "all" });
            }}
          >
            <option value="all">All batches</option>
            {report !== null && (
              <>
                <optgroup label="Distributors">
                  {report.distributors.map((d) => (
                    <option key={d.id ?? "none"} value={`distributor:${d.id ?? "none"}`}>
                      {d.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Batches">
                  {report.batches.map((b) => (
                    <option key={b.id} value={`batch:${b.id}`}>
                      {b.reference}
                    </option>
                  ))}
                </optgroup>
              </>
            )}
          </select>
        </div>
        <div class="field field--compact">
          <label for="health-months">Months</label>
          <select
            id="health-months"
            value={String(months)}
            onChange={(event) => setMonths(Number(event.currentTarget.value))}
          >
            {[6, 12, 24, 36].map((n) => (
              <option key={n} value={n}>
                Last {n}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--compact">
          <label for="health-since">Returns since</label>
          <input
            id="health-since"
            type="date"
            value={since}
            onChange={(event) => setSince(event.currentTarget.value)}
          />
        </div>
      </form>
      {error !== null && <ErrorMessage error={error} title="Batch health could not load" />}
      {report === null || shown === null ? (
        error === null && <p role="status">Loading…</p>
      ) : (
        <>
          <section class="card" aria-labelledby="health-trend-title">
            <h2 id="health-trend-title" class="card__title">
              Monthly trend: {shown.name}
            </h2>
            <DefectTrendChart
              trend={shown.row.trend}
              label={`Line chart: DOA and covered-defect units per 100 units of ${shown.name}, by month, ${monthLabel(report.months[0])} to ${monthLabel(report.months[report.months.length - 1])}. The table below has the figures.`}
            />
            <div class="table-wrap">
              <table class="table batch-health__trend">
                <caption>
                  Defects per month, {shown.name} ({count(shown.row.units)} units)
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col" class="num">
                      DOA units
                    </th>
                    <th scope="col" class="num">
                      DOA per 100
                    </th>
                    <th scope="col" class="num">
                      Covered defects
                    </th>
                    <th scope="col" class="num">
                      Covered defects per 100
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.row.trend.map((point) => (
                    <tr key={point.month}>
                      <th scope="row">{monthLabel(point.month)}</th>
                      <td class="num">{count(point.doa)}</td>
                      <td class="num">{rate(point.doaPer100)}</td>
                      <td class="num">{count(point.coveredDefect)}</td>
                      <td class="num">{rate(point.coveredDefectPer100)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <RateTable
            title="By batch"
            id="health-batches"
            rows={report.batches.map((b) => ({
              key: b.id,
              name: <a href={consoleHref({ view: "batch", id: b.id })}>{b.reference}</a>,
              extra: b.distributor?.name ?? "—",
              row: b,
            }))}
            extraLabel="Distributor"
          />
          <RateTable
            title="By distributor"
            id="health-distributors"
            rows={report.distributors.map((d) => ({
              key: d.id ?? "none",
              name: <span dir="auto">{d.name}</span>,
              extra: count(d.batches),
              row: d,
            }))}
            extraLabel="Batches"
          />
          <section class="card">
            <h2 class="card__title">All batches</h2>
            <p>
              {count(report.overall.units)} units; {count(report.overall.defective)} defective (
              {rate(report.overall.defectivePer100)} per 100): {count(report.overall.doa)} DOA,{" "}
              {count(report.overall.coveredDefect)} covered defects.
            </p>
          </section>
        </>
      )}
    </div>
  );
}

function RateTable({
  title,
  id,
  rows,
  extraLabel,
}: {
  title: string;
  id: string;
  rows: { key: string; name: preact.ComponentChildren; extra: string; row: DefectRateRow }[];
  extraLabel: string;
}) {
  return (
    <section class="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="card__title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p>No batch yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table" id={id}>
            <thead>
              <tr>
                <th scope="col">{title === "By batch" ? "Batch" : "Distributor"}</th>
                <th scope="col">{extraLabel}</th>
                <th scope="col" class="num">
                  Units
                </th>
                <th scope="col" class="num">
                  DOA
                </th>
                <th scope="col" class="num">
                  DOA per 100
                </th>
                <th scope="col" class="num">
                  Covered defects
                </th>
                <th scope="col" class="num">
                  Covered per 100
                </th>
                <th scope="col" class="num">
                  Defective per 100
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ key, name, extra, row }) => (
                <tr key={key}>
                  <th scope="row">{name}</th>
                  <td dir="auto">{extra}</td>
                  <td class="num">{count(row.units)}</td>
                  <td class="num">{count(row.doa)}</td>
                  <td class="num">{rate(row.doaPer100)}</td>
                  <td class="num">{count(row.coveredDefect)}</td>
                  <td class="num">{rate(row.coveredDefectPer100)}</td>
                  <td class="num">{rate(row.defectivePer100)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
