import type { ApiError } from "../api/http";

/**
 * An API error for people: its message and, for a validation error, what is wrong with which field.
 * Rendered as text only; `role="alert"` makes screen readers announce it when it appears.
 */
export function ErrorMessage({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div class="alert alert--error" role="alert">
      {title !== undefined && <p class="alert__title">{title}</p>}
      <p>{error.message}</p>
      {error.details.length > 0 && (
        <ul class="alert__details">
          {error.details.map((detail, index) => (
            <li key={`${detail.path}:${index}`}>
              {detail.path === "" ? detail.message : `${detail.path}: ${detail.message}`}
            </li>
          ))}
        </ul>
      )}
      {error.requestId !== null && error.status >= 500 && (
        <p class="muted">Reference: {error.requestId}</p>
      )}
    </div>
  );
}
