import { useCallback, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { FsListing } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import type { StudioApi } from '../../api/client.js';
import { errorMessage } from '../../state/studio.js';
import { Modal } from '../shell/Modal.js';

/** A file in the picker (the shell's icon set has none). */
function FileIcon() {
  return (
    <svg className="icon icon-file" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" />
    </svg>
  );
}

function sizeText(size: number | undefined): string {
  if (size === undefined) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Picks a folder on the engine's disk through fs.list (a browser cannot see the disk). `open` mode
 * opens a project folder; `select` mode chooses a location (e.g. where a new project goes); `file`
 * mode chooses a file, among those whose name ends with one of `extensions` (or any file, if the
 * person asks for all files).
 */
export function FolderPicker(props: {
  api: StudioApi;
  mode: 'open' | 'select' | 'file';
  title?: string;
  initialDir?: string;
  /** file mode: the file types offered first, e.g. ['.json', '.yaml', '.yml'] */
  extensions?: string[];
  /** file mode: how that filter is named, e.g. "OpenAPI / Swagger" */
  extensionsLabel?: string;
  onPick: (path: string) => void;
  onCancel: () => void;
}) {
  const { api } = props;
  const fileMode = props.mode === 'file';
  const [listing, setListing] = useState<FsListing | null>(null);
  const [path, setPath] = useState(props.initialDir ?? '');
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const [allFiles, setAllFiles] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const seq = useRef(0);
  const onPickRef = useRef(props.onPick);
  onPickRef.current = props.onPick;
  const pathRef = useRef(path);
  pathRef.current = path;

  const folders = (fileMode ? listing?.entries : listing?.entries.filter((e) => e.isDir)) ?? [];
  const extensionsKey = fileMode && !allFiles ? (props.extensions ?? []).join('\u0000') : '';

  const navigate = useCallback(
    async (dir: string | undefined, focusList = false, typed = false) => {
      const id = ++seq.current;
      const pathBefore = pathRef.current;
      setLoading(true);
      try {
        const extensions = extensionsKey ? extensionsKey.split('\u0000') : undefined;
        const next = await api['fs.list'](fileMode ? { dir: dir || undefined, files: true, extensions } : { dir: dir || undefined });
        if (id !== seq.current) return;
        setListing(next);
        // a path typed while the listing was on its way stays (Enter goes there)
        if (pathRef.current === pathBefore) setPath(next.dir);
        setError(null);
        setActive(-1);
        if (focusList) listRef.current?.focus();
      } catch (e) {
        if (id !== seq.current) return;
        // file mode: a typed path to a file picks it
        if (typed && fileMode && dir && /is not a folder/.test(errorMessage(e))) return onPickRef.current(dir);
        setError(errorMessage(e));
      } finally {
        if (id === seq.current) setLoading(false);
      }
    },
    [api, fileMode, extensionsKey],
  );

  const dirRef = useRef(props.initialDir);
  dirRef.current = listing?.dir ?? props.initialDir;
  useEffect(() => {
    void navigate(dirRef.current, false);
  }, [navigate]);

  const activeEntry = active >= 0 ? folders[active] : undefined;
  const openTarget = props.mode === 'open' ? (activeEntry?.isProject ? activeEntry.path : listing?.isProject ? listing.dir : null) : null;
  const fileTarget = fileMode && activeEntry && !activeEntry.isDir ? activeEntry.path : null;

  const confirm = () => {
    if (fileMode) {
      if (fileTarget) props.onPick(fileTarget);
      else if (activeEntry) void navigate(activeEntry.path, true);
      else setError(props.extensions?.length && !allFiles ? `Choose a file (${props.extensions.join(', ')}) in the list, or type its path.` : 'Choose a file in the list, or type its path.');
      return;
    }
    if (props.mode === 'open') {
      if (openTarget) props.onPick(openTarget);
      else if (activeEntry) void navigate(activeEntry.path, true);
      else setError('This folder is not a project (it has no trellis.yaml). Choose a folder marked with the project icon.');
      return;
    }
    if (listing) props.onPick(listing.dir);
  };

  const enterEntry = (index: number) => {
    const entry = folders[index];
    if (!entry) return;
    if (fileMode && !entry.isDir) props.onPick(entry.path);
    else if (props.mode === 'open' && entry.isProject) props.onPick(entry.path);
    else void navigate(entry.path, true);
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const n = folders.length;
    const to = (i: number) => {
      const index = Math.max(0, Math.min(n - 1, i));
      setActive(index);
      listRef.current?.querySelectorAll('li')[index]?.scrollIntoView({ block: 'nearest' });
    };
    switch (e.key) {
      case 'ArrowDown':
        to(active + 1);
        break;
      case 'ArrowUp':
        to(active - 1);
        break;
      case 'Home':
        to(0);
        break;
      case 'End':
        to(n - 1);
        break;
      case 'Enter':
        if (active >= 0) enterEntry(active);
        else confirm();
        break;
      case 'Backspace':
        if (listing?.parent) void navigate(listing.parent, true);
        break;
      default:
        if (e.key === 'ArrowLeft' && e.altKey && listing?.parent) void navigate(listing.parent, true);
        else if (e.key.length === 1 && /\S/.test(e.key)) {
          const letter = e.key.toLowerCase();
          for (let i = 1; i <= n; i++) {
            const index = (active + i + n) % n;
            if (folders[index]?.name.toLowerCase().startsWith(letter)) return to(index);
          }
          return;
        } else return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const title = props.title ?? (props.mode === 'open' ? 'Open Project' : fileMode ? 'Choose File' : 'Choose Folder');
  const note = fileMode
    ? fileTarget
      ? `Chooses ${fileTarget}`
      : 'Choose a file'
    : props.mode === 'open'
      ? openTarget
        ? `Opens ${openTarget}`
        : 'Choose a folder that holds a project'
      : listing
        ? `Selects ${listing.dir}`
        : '';
  return (
    <Modal
      title={title}
      onCancel={props.onCancel}
      onEnter={confirm}
      className="folder-picker"
      footer={
        <>
          <span className="footer-note">{note}</span>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={confirm} disabled={!listing || (props.mode === 'open' && !openTarget && !activeEntry) || (fileMode && !activeEntry)}>
            {props.mode === 'open' ? 'Open' : fileMode ? (activeEntry?.isDir ? 'Open folder' : 'Choose') : 'Select'}
          </button>
        </>
      }
    >
      <div className="picker-path">
        <button type="button" className="icon-button" aria-label="Up to the parent folder" title="Up (Backspace)" disabled={!listing?.parent} onClick={() => listing?.parent && void navigate(listing.parent)}>
          <Icon name="up" />
        </button>
        <input
          aria-label={fileMode ? 'File path' : 'Folder path'}
          value={path}
          spellCheck={false}
          data-autofocus
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              e.stopPropagation();
              if (listing && path === listing.dir && !fileMode) confirm();
              else if (listing && path === listing.dir && fileTarget) confirm();
              else void navigate(path.trim(), false, true);
            } else if (e.key === 'ArrowDown' && folders.length) {
              e.preventDefault();
              setActive(0);
              listRef.current?.focus();
            }
          }}
        />
        <button type="button" onClick={() => void navigate(path.trim(), false, true)}>
          Go
        </button>
      </div>
      <nav className="picker-crumbs" aria-label="Breadcrumb">
        {listing ? crumbs(listing).map((c, i, all) => (
          <span key={c.path}>
            <button type="button" className="link-button" onClick={() => void navigate(c.path)} aria-current={i === all.length - 1 ? 'location' : undefined}>
              {c.name}
            </button>
            {i < all.length - 1 && c.name !== listing.separator ? <span className="crumb-sep">{listing.separator}</span> : null}
          </span>
        )) : null}
      </nav>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <ul
        ref={listRef}
        className="picker-list"
        role="listbox"
        aria-label={fileMode ? 'Folders and files' : 'Folders'}
        tabIndex={0}
        aria-activedescendant={active >= 0 ? `picker-entry-${active}` : undefined}
        aria-busy={loading}
        onKeyDown={onListKey}
      >
        {folders.length === 0 && listing ? (
          <li className="empty-state" role="presentation">
            {fileMode ? (allFiles || !props.extensions?.length ? 'No folders or files here.' : `No folders or ${props.extensions.join(', ')} files here.`) : 'No folders here.'}
          </li>
        ) : null}
        {folders.map((entry, index) => (
          <li
            key={entry.path}
            id={`picker-entry-${index}`}
            role="option"
            aria-selected={index === active}
            aria-label={entry.isProject ? `${entry.name} (project)` : entry.name}
            className={`picker-entry${index === active ? ' selected' : ''}`}
            onMouseDown={() => setActive(index)}
            onDoubleClick={() => enterEntry(index)}
          >
            {entry.isDir ? <Icon name={entry.isProject ? 'project' : 'folder'} className={entry.isProject ? 'kind-icon-project' : 'kind-icon-folder'} /> : <FileIcon />}
            <span>{entry.name}</span>
            {entry.isProject ? <span className="tree-detail">project</span> : null}
            {!entry.isDir ? <span className="tree-detail">{sizeText(entry.size)}</span> : null}
          </li>
        ))}
      </ul>
      {listing?.isProject && props.mode === 'select' ? <p className="hint">This folder is itself a project.</p> : null}
      {fileMode && props.extensions?.length ? (
        <label className="checkbox" style={{ marginTop: 8 }}>
          <input type="checkbox" checked={allFiles} onChange={(e) => setAllFiles(e.target.checked)} /> Show all files (not only {props.extensionsLabel ? `${props.extensionsLabel}: ` : ''}
          {props.extensions.join(', ')})
        </label>
      ) : null}
    </Modal>
  );
}

function crumbs(listing: FsListing): { name: string; path: string }[] {
  const sep = listing.separator;
  const parts = listing.dir.split(sep);
  const out: { name: string; path: string }[] = [];
  let acc = '';
  parts.forEach((part, i) => {
    if (i === 0) {
      acc = part === '' ? sep : part + sep;
      out.push({ name: part === '' ? sep : part, path: acc });
      return;
    }
    if (!part) return;
    acc = acc.endsWith(sep) ? acc + part : acc + sep + part;
    out.push({ name: part, path: acc });
  });
  return out;
}
