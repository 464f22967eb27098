import type { ComponentChildren } from 'preact';
import { followLink } from '../router';

/** An in-app link: a real <a href> (keyboard, middle-click, copy link all work), followed without a reload. */
export function Link({ href, children, class: className, ...rest }: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={href} class={className} onClick={(event) => followLink(event, href)} {...rest}>
      {children}
    </a>
  );
}

export const stationHref = (id: string) => `/stations/${encodeURIComponent(id)}`;
export const sessionHref = (id: number) => `/sessions/${id}`;
export const siteHref = (id: string) => `/sites/${encodeURIComponent(id)}`;
