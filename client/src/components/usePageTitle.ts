import { useEffect } from "preact/hooks";

/** Sets the document title to "`title` · Greydesk" while the page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title === "" ? "Greydesk" : `${title} · Greydesk`;
  }, [title]);
}
