import type { ComponentChildren } from "preact";
import type { ApiError } from "../api/http";
import { ErrorMessage } from "./ErrorMessage";

/**
 * The end of a grid form: what went wrong with the last submit, then the submit button (its label
 * says what is happening while busy), an optional Cancel and anything else beside them.
 */
export function FormFooter({
  error,
  errorTitle,
  busy,
  submit,
  busyLabel,
  onCancel,
  children,
}: {
  error: ApiError | null;
  /** What did not happen, e.g. "The model was not added". */
  errorTitle: string;
  busy: boolean;
  submit: string;
  /** Shown on the button while busy, e.g. "Adding…"; the submit label stays when absent. */
  busyLabel?: string;
  onCancel?: () => void;
  children?: ComponentChildren;
}) {
  const row = onCancel !== undefined || children !== undefined;
  return (
    <>
      {error !== null && (
        <div class="form-grid__full">
          <ErrorMessage error={error} title={errorTitle} />
        </div>
      )}
      <div class={row ? "form-grid__full button-row" : "form-grid__full"}>
        <button type="submit" class="button" disabled={busy}>
          {busy && busyLabel !== undefined ? busyLabel : submit}
        </button>
        {onCancel !== undefined && (
          <button type="button" class="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        {children}
      </div>
    </>
  );
}
