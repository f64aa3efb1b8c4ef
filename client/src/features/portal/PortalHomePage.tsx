import { Layout } from "../../components/Layout";
import { usePageTitle } from "../../components/usePageTitle";

/** `/portal`: where a customer opens a ticket (the form arrives with the portal issue). */
export function PortalHomePage() {
  usePageTitle("Open a support ticket");
  return (
    <Layout>
      <h1>Open a support ticket</h1>
      <p class="lead">
        Tell us about your phone and what is wrong with it. You do not need an account: after you
        send the form, you get a private link to follow your ticket and reply to our team.
      </p>
    </Layout>
  );
}
