import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { FieldError } from "./Field";
import { ACCEPT, MAX_FILES, checkFiles, releaseFile } from "./files";
import type { PickedFile, RejectedFile } from "./files";
import { formatSize, kindOf } from "./words";

type Update = (previous: PickedFile[]) => PickedFile[];

/**
 * The files a form is about to send: `[files, update, clear]`. Thumbnail URLs are freed when a
 * file is removed, when the list is cleared, and when the form goes away.
 */
export function usePickedFiles(): [PickedFile[], (update: Update) => void, () => void] {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const current = useRef(files);
  current.current = files;
  useEffect(() => () => current.current.forEach(releaseFile), []);
  const update = useCallback((change: Update) => {
    setFiles((previous) => {
      const next = change(previous);
      for (const file of previous) {
        if (!next.includes(file)) {
          releaseFile(file);
        }
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => update(() => []), [update]);
  return [files, update, clear];
}

/**
 * Up to five photos, screenshots or PDFs, checked here at once (count, 10 MB, kind by content)
 * and by the server again. Each picked file is listed with a thumbnail and a remove button;
 * `fileErrors` are the server's complaints about file N (`attachments.N`).
 */
export function FilePicker({
  id,
  label,
  hint,
  files,
  onFilesChange,
  error,
  fileErrors = {},
  disabled = false,
}: {
  id: string;
  label: string;
  hint: string;
  files: readonly PickedFile[];
  onFilesChange: (update: Update) => void;
  error?: string;
  fileErrors?: Readonly<Record<number, string>>;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const [checking, setChecking] = useState(false);

  const onChange = (event: Event) => {
    const target = event.currentTarget as HTMLInputElement;
    const chosen = Array.from(target.files ?? []);
    // Empty the input so the same file can be picked again after removing it.
    target.value = "";
    if (chosen.length === 0) {
      return;
    }
    setChecking(true);
    checkFiles(chosen, files.length).then(
      ({ added, rejected: refused }) => {
        setChecking(false);
        setRejected(refused);
        if (added.length > 0) {
          onFilesChange((previous) => {
            const room = Math.max(0, MAX_FILES - previous.length);
            added.slice(room).forEach(releaseFile);
            return [...previous, ...added.slice(0, room)];
          });
        }
      },
      () => setChecking(false),
    );
  };

  const remove = (file: PickedFile) => {
    onFilesChange((previous) => previous.filter((item) => item !== file));
    setRejected([]);
    input.current?.focus();
  };

  const described = [`${id}-hint`, error !== undefined ? `${id}-error` : "", `${id}-problems`]
    .filter(Boolean)
    .join(" ");

  return (
    <div class={error !== undefined ? "portal-field portal-field--error" : "portal-field"}>
      <label for={id}>
        {label}
        <span class="portal-optional"> (optional)</span>
      </label>
      <p id={`${id}-hint`} class="portal-hint">
        {hint}
      </p>
      <FieldError id={id} error={error} />
      <input
        ref={input}
        id={id}
        class="portal-file-input"
        type="file"
        multiple
        accept={ACCEPT}
        disabled={disabled}
        aria-describedby={described}
        aria-invalid={error !== undefined ? "true" : undefined}
        onChange={onChange}
      />
      <div id={`${id}-problems`} aria-live="polite">
        {checking && <p class="portal-hint">Checking the files…</p>}
        {rejected.length > 0 && (
          <ul class="portal-file-problems">
            {rejected.map((problem, index) => (
              <li key={`${problem.name}:${index}`}>
                <span dir="auto" class="portal-file__name">
                  {problem.name}
                </span>
                : {problem.reason}
              </li>
            ))}
          </ul>
        )}
      </div>
      {files.length > 0 && (
        <>
          <p class="portal-hint">
            {files.length} of {MAX_FILES} files
          </p>
          <ul class="portal-files" aria-label="Files to send">
            {files.map((picked, index) => {
              const problem = fileErrors[index];
              return (
                <li
                  key={picked.id}
                  class={problem !== undefined ? "portal-file portal-file--error" : "portal-file"}
                >
                  {picked.preview !== null ? (
                    <img class="portal-file__thumb" src={picked.preview} alt="" />
                  ) : (
                    <span class="portal-file__thumb portal-file__thumb--doc" aria-hidden="true">
                      {picked.kind === "application/pdf" ? "PDF" : "Photo"}
                    </span>
                  )}
                  <span class="portal-file__text">
                    <span dir="auto" class="portal-file__name">
                      {picked.file.name}
                    </span>
                    <span class="portal-hint">
                      {kindOf(picked.kind)}, {formatSize(picked.file.size)}
                    </span>
                    {problem !== undefined && (
                      <span class="portal-field__error">
                        <span class="visually-hidden">Error: </span>
                        {problem}
                      </span>
                    )}
                  </span>
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-label={`Remove ${picked.file.name}`}
                    disabled={disabled}
                    onClick={() => remove(picked)}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
