/**
 * An action that asks first: the button opens a dialog saying what will happen; only its
 * confirm button acts. A native <dialog>: it keeps the focus inside, and Escape closes it.
 */
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";

interface Props {
  readonly label: string;
  readonly title: string;
  /** What will happen, said before it does. */
  readonly children: ComponentChildren;
  readonly confirm: string;
  readonly act: () => Promise<void>;
  readonly danger?: boolean;
  readonly disabled?: boolean;
}

export function ConfirmButton({ label, title, children, confirm, act, danger, disabled }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = `dialog-${label.toLowerCase().replace(/\W+/g, "-")}`;

  const go = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await act();
      dialog.current?.close();
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message}${e.problem?.code ? ` (${e.problem.code})` : ""}` : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class={danger ? "danger" : undefined} disabled={disabled} onClick={() => { setError(undefined); dialog.current?.showModal(); }}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{title}</h2>
        <div>{children}</div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Keep as it is
          </button>
          <button type="button" class={danger ? "danger" : undefined} disabled={busy} onClick={() => void go()}>
            {confirm}
          </button>
        </div>
      </dialog>
    </>
  );
}
