import type { ComponentChildren } from "preact";

/** The ids a field's control points at with `aria-describedby`: its hint and its error. */
export function describedBy(id: string, hint: boolean, error: string | undefined): string {
  return [hint ? `${id}-hint` : "", error !== undefined ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
}

/**
 * A labelled form field: label, optional hint, the control (given as children, wired with
 * {@link describedBy}), and its error right under the label where it is seen and announced.
 */
export function Field({
  id,
  label,
  optional = false,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  optional?: boolean;
  hint?: ComponentChildren;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={error !== undefined ? "portal-field portal-field--error" : "portal-field"}>
      <label for={id}>
        {label}
        {optional && <span class="portal-optional"> (optional)</span>}
      </label>
      {hint !== undefined && (
        <p id={`${id}-hint`} class="portal-hint">
          {hint}
        </p>
      )}
      <FieldError id={id} error={error} />
      {children}
    </div>
  );
}

/** A field's error text, with the id its control's `aria-describedby` names. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (error === undefined) {
    return null;
  }
  return (
    <p id={`${id}-error`} class="portal-field__error">
      <span class="visually-hidden">Error: </span>
      {error}
    </p>
  );
}
