import { useEffect } from 'react';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';

/** The last error or hint, bottom right; errors stay until dismissed, hints go after a while. */
export function NoticeToast() {
  const studio = useStudio();
  const notice = useStudioState((s) => s.notice);
  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const timer = setTimeout(() => studio.dismissNotice(), 6000);
    return () => clearTimeout(timer);
  }, [notice, studio]);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <Icon name={notice.kind === 'error' ? 'error' : 'info'} />
      <div className="toast-text">
        {notice.where ? <div className="toast-where">{notice.where}</div> : null}
        <div>{notice.message}</div>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => studio.dismissNotice()}>
        <Icon name="close" />
      </button>
    </div>
  );
}
