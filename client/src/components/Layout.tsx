import type { ComponentChildren } from "preact";

/** The frame of every page: the brand bar and one `main` landmark. */
export function Layout({
  children,
  wide = false,
}: {
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Greydesk</span>
      </header>
      <main id="main" class={wide ? "page page--wide" : "page"} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
