import { useEffect, useState } from "preact/hooks";
import { maskImei } from "../../../../shared/domain/imei";
import { asApiError, isAbortError } from "../../api/http";
import type { ApiError } from "../../api/http";
import { fetchHandsetRegister } from "../../api/register";
import type { HandsetRegister } from "../../api/register";
import { consoleHref } from "../../app/routes";
import { ErrorMessage } from "../../components/ErrorMessage";
import { RegisterEntries } from "./RegisterEntries";
import { REGISTER_STATUS_LABELS } from "./words";
import "./register.css";

/**
 * A handset's standing on the lost/stolen register: each of its IMEIs, its status and latest
 * entries, and a link to the register page to report, clear or log a check. `version` (the
 * ticket's `updatedAt`, say) fetches it again when it changes.
 */
export function HandsetRegisterStatus({
  handsetId,
  version,
}: {
  handsetId: string;
  version?: string;
}) {
  const [register, setRegister] = useState<HandsetRegister | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchHandsetRegister(handsetId, controller.signal).then(setRegister, (failure: unknown) => {
      if (!isAbortError(failure)) {
        setError(asApiError(failure));
      }
    });
    return () => controller.abort();
  }, [handsetId, version]);

  return (
    <section class="card handset-register" aria-labelledby={`handset-register-${handsetId}`}>
      <h2 id={`handset-register-${handsetId}`} class="card__title">
        Lost/stolen register
      </h2>
      {error !== null && <ErrorMessage error={error} title="The register could not load" />}
      {register === null ? (
        error === null && <p role="status">Loading…</p>
      ) : register.imeis.length === 0 ? (
        <p class="muted">This handset has no IMEI on record.</p>
      ) : (
        register.imeis.map((record) => (
          <div key={record.imei}>
            <p class="handset-register__imei">
              IMEI <span class="register-imei">{maskImei(record.imei)}</span>{" "}
              <span class={`register-status register-status--${record.status}`}>
                {REGISTER_STATUS_LABELS[record.status]}
              </span>
            </p>
            {record.status === "flagged" && (
              <p class="muted">No RMA can open on this handset until the IMEI is cleared.</p>
            )}
            {record.entries.length > 0 && (
              <RegisterEntries entries={record.entries.slice(0, 3)} decidedBy={record.decidedBy} />
            )}
            <p class="handset-register__link">
              <a href={consoleHref({ view: "register", imei: record.imei })}>
                {record.entries.length > 3
                  ? `All ${record.entries.length} entries, report or log a check`
                  : "Report, clear or log a check"}
              </a>
            </p>
          </div>
        ))
      )}
    </section>
  );
}
