import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from '../../icons/icons.js';
import type { IconName } from '../../icons/icons.js';

export interface MenuItem {
  label: string;
  shortcut?: string;
  icon?: IconName;
  onSelect?: () => void;
  submenu?: MenuItem[];
  disabled?: boolean;
  separatorBefore?: boolean;
}

/**
 * A popup menu (role=menu) at a point: arrows, Home/End, Enter/Space, Right opens a submenu, Left or
 * Esc closes it; a click outside or Tab closes the whole menu and focus goes back where it was.
 */
export function PopupMenu(props: { label: string; items: MenuItem[]; x: number; y: number; onClose: () => void; anchor?: HTMLElement | null }) {
  const anchor = props.anchor;
  const onCloseRef = useRef(props.onClose);
  onCloseRef.current = props.onClose;
  const rootRef = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: props.x, top: props.y });

  useLayoutEffect(() => {
    const el = rootRef.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(props.x, window.innerWidth - rect.width - 4)),
      top: Math.max(4, Math.min(props.y, window.innerHeight - rect.height - 4)),
    });
  }, [props.x, props.y]);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node) && !anchor?.contains(e.target as Node)) onCloseRef.current();
    };
    const onBlur = () => onCloseRef.current();
    document.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
      if (previous && document.contains(previous)) previous.focus();
    };
  }, [anchor]);

  return createPortal(
    <div ref={rootRef} className="popup-menu-layer" style={{ left: position.left, top: position.top }}>
      <MenuList label={props.label} items={props.items} onClose={() => onCloseRef.current()} onBack={() => onCloseRef.current()} autoFocus />
    </div>,
    document.body,
  );
}

function MenuList(props: { label: string; items: MenuItem[]; onClose: () => void; onBack: () => void; autoFocus?: boolean; submenu?: boolean }) {
  const listRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(() => props.items.findIndex((i) => !i.disabled));
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    if (props.autoFocus !== false) listRef.current?.querySelectorAll<HTMLElement>(':scope > [role="menuitem"]')[active]?.focus();
    // only when the menu opens
  }, []);

  const focusItem = (index: number) => {
    setActive(index);
    listRef.current?.querySelectorAll<HTMLElement>(':scope > [role="menuitem"]')[index]?.focus();
  };

  const move = (from: number, step: number) => {
    const n = props.items.length;
    for (let i = 1; i <= n; i++) {
      const index = (((from + step * i) % n) + n) % n;
      if (!props.items[index]?.disabled) return focusItem(index);
    }
  };

  const choose = (index: number) => {
    const item = props.items[index];
    if (!item || item.disabled) return;
    if (item.submenu) {
      setOpen(index);
      return;
    }
    props.onClose();
    item.onSelect?.();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest('[role="menu"]') !== listRef.current) return;
    e.stopPropagation();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(active, 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(active, -1);
        break;
      case 'Home':
        e.preventDefault();
        move(-1, 1);
        break;
      case 'End':
        e.preventDefault();
        move(props.items.length, -1);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        choose(active);
        break;
      case 'ArrowRight':
        e.preventDefault();
        if (props.items[active]?.submenu) setOpen(active);
        break;
      case 'ArrowLeft':
        e.preventDefault();
        if (props.submenu) props.onBack();
        break;
      case 'Escape':
        e.preventDefault();
        props.onBack();
        break;
      case 'Tab':
        e.preventDefault();
        props.onClose();
        break;
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const letter = e.key.toLowerCase();
          const n = props.items.length;
          for (let i = 1; i <= n; i++) {
            const index = (active + i) % n;
            const item = props.items[index];
            if (item && !item.disabled && item.label.toLowerCase().startsWith(letter)) return focusItem(index);
          }
        }
    }
  };

  return (
    <div ref={listRef} role="menu" aria-label={props.label} className={`menu${props.submenu ? ' submenu' : ''}`} onKeyDown={onKeyDown}>
      {props.items.map((item, index) => (
        <div
          key={item.label}
          role="menuitem"
          tabIndex={index === active ? 0 : -1}
          aria-disabled={item.disabled || undefined}
          aria-haspopup={item.submenu ? 'menu' : undefined}
          aria-expanded={item.submenu ? open === index : undefined}
          className={`menu-item${item.separatorBefore ? ' separated' : ''}${open === index ? ' open' : ''}`}
          onMouseEnter={() => {
            if (item.disabled) return;
            focusItem(index);
            setOpen(item.submenu ? index : null);
          }}
          onClick={(e) => {
            e.stopPropagation();
            choose(index);
          }}
        >
          <span className="menu-icon">{item.icon ? <Icon name={item.icon} /> : null}</span>
          <span className="menu-label">{item.label}</span>
          {item.shortcut ? <span className="menu-shortcut">{item.shortcut}</span> : null}
          {item.submenu ? <Icon name="chevronRight" className="menu-arrow" /> : null}
          {item.submenu && open === index ? (
            <MenuList
              label={item.label}
              items={item.submenu}
              submenu
              onClose={props.onClose}
              onBack={() => {
                setOpen(null);
                focusItem(index);
              }}
            />
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** A toolbar button that opens a menu below itself (New ▾). */
export function MenuButton(props: { label: string; icon?: IconName; items: MenuItem[]; title?: string }) {
  const [open, setOpen] = useState<{ x: number; y: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const show = () => {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (rect) setOpen({ x: rect.left, y: rect.bottom + 2 });
  };
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="toolbar-button"
        aria-haspopup="menu"
        aria-expanded={open !== null}
        title={props.title}
        onClick={() => (open ? setOpen(null) : show())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            show();
          }
        }}
      >
        {props.icon ? <Icon name={props.icon} /> : null}
        <span>{props.label}</span>
        <Icon name="chevronDown" className="dropdown-arrow" />
      </button>
      {open ? <PopupMenu label={props.label} items={props.items} x={open.x} y={open.y} anchor={buttonRef.current} onClose={() => setOpen(null)} /> : null}
    </>
  );
}
