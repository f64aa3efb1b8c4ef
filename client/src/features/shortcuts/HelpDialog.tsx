import { Fragment } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { SHORTCUT_HELP } from "./shortcuts";

/**
 * The keyboard shortcuts, in a native modal dialog: it traps focus, closes on Esc and gives focus
 * back to where it was.
 */
export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element === null) {
      return;
    }
    if (open && !element.open) {
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="help-title"
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === dialog.current) {
          onClose();
        }
      }}
    >
      <div class="dialog__body">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <p class="muted">They work anywhere in the console except while typing in a field.</p>
        <dl class="shortcuts">
          {SHORTCUT_HELP.map((entry) => (
            <div class="shortcuts__row" key={entry.does}>
              <dt>
                {entry.keys.map((key, index) => (
                  <Fragment key={key}>
                    {index > 0 && " "}
                    <kbd>{key}</kbd>
                  </Fragment>
                ))}
              </dt>
              <dd>{entry.does}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button class="button" type="submit" autoFocus>
            Close
          </button>
        </form>
      </div>
    </dialog>
  );
}
