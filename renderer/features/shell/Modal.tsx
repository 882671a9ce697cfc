import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden && el.offsetParent !== null);
}

/**
 * A modal dialog: role=dialog, aria-modal, labelled by its title, focus trapped inside (and given back
 * on close), Esc cancels, Enter in a field runs `onEnter` (Next / Finish / OK).
 */
export function Modal(props: {
  title: string;
  onCancel: () => void;
  onEnter?: () => void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  /** a smaller subtitle under the title (e.g. "Step 1 of 3") */
  subtitle?: string;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onCancel, onEnter } = props;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current;
    if (root) {
      const preferred = root.querySelector<HTMLElement>('[data-autofocus]');
      (preferred ?? focusables(root)[0] ?? root).focus();
    }
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // the topmost dialog owns the keys: nothing reaches dialogs or handlers below it
    e.stopPropagation();
    const root = ref.current;
    if (!root) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key === 'Tab') {
      const items = focusables(root);
      if (items.length === 0) {
        e.preventDefault();
        return;
      }
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const active = document.activeElement;
      if (e.shiftKey && (active === first || !root.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !root.contains(active))) {
        e.preventDefault();
        first.focus();
      }
      return;
    }
    if (e.key === 'Enter' && onEnter && !e.defaultPrevented && !e.shiftKey && !e.altKey) {
      const target = e.target as HTMLElement;
      const tag = target.tagName;
      const type = (target as HTMLInputElement).type;
      if (tag === 'TEXTAREA' || tag === 'BUTTON' || tag === 'A' || (tag === 'INPUT' && (type === 'button' || type === 'submit'))) return;
      if (target.closest('[role="listbox"], [role="menu"], [role="grid"]')) return;
      e.preventDefault();
      onEnter();
    }
  };

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}>
      <div
        ref={ref}
        className={`modal ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={props.describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="modal-header">
          <h2 id={titleId}>{props.title}</h2>
          {props.subtitle ? <span className="modal-subtitle">{props.subtitle}</span> : null}
          <button type="button" className="icon-button modal-close" aria-label="Close" title="Close (Esc)" onClick={onCancel}>
            <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.3" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" />
            </svg>
          </button>
        </header>
        <div className="modal-body">{props.children}</div>
        {props.footer ? <footer className="modal-footer">{props.footer}</footer> : null}
      </div>
    </div>,
    document.body,
  );
}

/** Deletes and other irreversible actions ask first. */
export function ConfirmDialog(props: { title: string; message: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const messageId = useId();
  return (
    <Modal
      title={props.title}
      onCancel={props.onCancel}
      onEnter={props.onConfirm}
      className="modal-small"
      describedBy={messageId}
      footer={
        <>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} data-autofocus>
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <p id={messageId}>{props.message}</p>
    </Modal>
  );
}
