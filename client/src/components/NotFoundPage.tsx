import { Layout } from "./Layout";
import { usePageTitle } from "./usePageTitle";

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <Layout>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Customers can <a href="/portal">open a support ticket</a>;
        agents can <a href="/">sign in</a>.
      </p>
    </Layout>
  );
}
