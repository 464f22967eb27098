import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/** The page's one h1 (also the document title), with its actions beside it. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Charging dashboard`;
  }, [title]);
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
