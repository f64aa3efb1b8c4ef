import { useRef, useState } from "preact/hooks";

/**
 * A private link shown in a read-only box (selected on focus) with a copy button. The result
 * of copying is announced; when the clipboard is not available, the link is selected instead.
 */
export function CopyLink({ id, label, url }: { id: string; label: string; url: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState("");

  const selectAll = () => {
    input.current?.select();
  };

  const copy = () => {
    const fallback = () => {
      selectAll();
      input.current?.focus();
      setSaid("The link is selected: copy it with your device's copy command.");
    };
    if (navigator.clipboard === undefined) {
      fallback();
      return;
    }
    navigator.clipboard.writeText(url).then(() => setSaid("Link copied."), fallback);
  };

  return (
    <div class="portal-link">
      <label for={id}>{label}</label>
      <div class="portal-link__row">
        <input
          ref={input}
          id={id}
          class="portal-link__input mono"
          type="text"
          readOnly
          value={url}
          spellcheck={false}
          onFocus={selectAll}
        />
        <button type="button" class="button" onClick={copy}>
          Copy link
        </button>
      </div>
      <p class="portal-link__said" role="status" aria-live="polite">
        {said}
      </p>
    </div>
  );
}
