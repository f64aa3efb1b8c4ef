import { expect } from "chai";
import request from "supertest";
import { signedInAs } from "../support/agents";
import { connectAs, waitFor } from "../support/sockets";
import { openPortalTicket } from "../support/tickets";
import { startTestServer } from "../support/test-server";
import type { TestServer } from "../support/test-server";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * (prom-client writes NaN as `Nan`, e.g. the event-loop mean before its first sample; Prometheus
 * reads floats case-insensitively.)
 * Parses the Prometheus text format (version 0.0.4) strictly: every line is a HELP or TYPE
 * comment or a sample `name{label="value",...} number`; anything else fails the test.
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const sample =
    /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|[Nn]a[Nn]|\+Inf|-Inf))(?: \d+)?$/;
  for (const line of text.split("\n")) {
    if (line === "") {
      continue;
    }
    const type =
      /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type !== null) {
      types.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) {
      continue;
    }
    const match = sample.exec(line);
    expect(match, `not a Prometheus line: ${line}`).to.not.equal(null);
    const labels: Record<string, string> = {};
    for (const pair of (match![2] ?? "").matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
    )) {
      labels[pair[1]] = pair[2]!;
    }
    samples.push({ name: match![1], labels, value: Number(match![3]) });
  }
  return { samples, types };
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(t: TestServer): Promise<Sample[]> {
  const res = await request(t.url).get("/metrics").expect(200);
  expect(res.headers["content-type"]).to.match(/^text\/plain; version=0\.0\.4/);
  return parseExposition(res.text).samples;
}

describe("GET /metrics", () => {
  describe("without METRICS_TOKEN", () => {
    let t: TestServer;
    before(async () => {
      // One proxy hop trusted, as behind nginx on the same machine: the socket is loopback, the
      // client is whoever X-Forwarded-For names.
      t = await startTestServer({ trustProxy: 1 });
    });
    after(async () => {
      await t.stop();
    });

    it("answers loopback in the Prometheus text format, with every documented family", async () => {
      const res = await request(t.url).get("/metrics").expect(200);
      const { types } = parseExposition(res.text);
      for (const [name, type] of [
        ["greydesk_http_requests_total", "counter"],
        ["greydesk_http_request_duration_seconds", "histogram"],
        ["greydesk_sockets_connected", "gauge"],
        ["greydesk_socket_messages_sent_total", "counter"],
        ["greydesk_ticket_facts_total", "counter"],
        ["greydesk_outbox_backlog", "gauge"],
        ["greydesk_outbox_oldest_age_seconds", "gauge"],
        ["greydesk_db_queue_depth", "gauge"],
        ["greydesk_db_queue_wait_seconds", "histogram"],
        ["greydesk_nodejs_eventloop_lag_seconds", "gauge"],
        ["greydesk_sla_breaches", "gauge"],
      ]) {
        expect(types.get(name), name).to.equal(type);
      }
    });

    it("is refused to a client beyond the proxy, as an unknown path is", async () => {
      const res = await request(t.url)
        .get("/metrics")
        .set("X-Forwarded-For", "203.0.113.9")
        .expect(404);
      expect(res.body.error.code).to.equal("not_found");
      expect(res.text).to.not.include("greydesk_");
    });

    it("counts requests by route pattern, never by raw path, and the outbox and sockets", async () => {
      const before = await scrape(t);
      const route = { method: "POST", route: "/api/portal/tickets", status: "201" };
      const createdBefore = valueOf(before, "greydesk_http_requests_total", route);
      const admin = await signedInAs(t, "admin");
      const socket = await connectAs(t, admin);
      const created = waitFor(socket, "ticket:created");
      const ticket = await openPortalTicket(t);
      await created;
      await admin.get(`/api/tickets/${ticket.id}`).expect(200);

      const after = await scrape(t);
      expect(valueOf(after, "greydesk_http_requests_total", route)).to.equal(createdBefore + 1);
      expect(
        valueOf(after, "greydesk_http_requests_total", {
          method: "GET",
          route: "/api/tickets/:id",
          status: "200",
        }),
      ).to.equal(1);
      // No label carries an id or a ticket's token.
      const routes = after.filter((s) => s.labels.route !== undefined).map((s) => s.labels.route);
      expect(routes.join(" ")).to.not.include(ticket.id);
      expect(routes.join(" ")).to.not.include(ticket.token);
      expect(valueOf(after, "greydesk_sockets_connected")).to.equal(1);
      expect(valueOf(after, "greydesk_socket_messages_sent_total")).to.be.greaterThan(
        valueOf(before, "greydesk_socket_messages_sent_total"),
      );
      expect(valueOf(after, "greydesk_ticket_facts_total", { fact: "ticket.created" })).to.equal(
        valueOf(before, "greydesk_ticket_facts_total", { fact: "ticket.created" }) + 1,
      );
      // The new ticket's link waits in the outbox (no mail relay here).
      expect(valueOf(after, "greydesk_outbox_backlog")).to.equal(
        valueOf(before, "greydesk_outbox_backlog") + 1,
      );
      expect(valueOf(after, "greydesk_outbox_oldest_age_seconds")).to.be.at.least(0);
      expect(
        valueOf(after, "greydesk_http_request_duration_seconds_count", {
          method: "POST",
          route: "/api/portal/tickets",
        }),
      ).to.equal(createdBefore + 1);
      socket.disconnect();
    });
  });

  describe("with METRICS_TOKEN", () => {
    const token = "m3tr1cs-t0ken-for-the-test-0123456789";
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ trustProxy: 1, metricsToken: token });
    });
    after(async () => {
      await t.stop();
    });

    it("answers anyone with the bearer token, from any address", async () => {
      const res = await request(t.url)
        .get("/metrics")
        .set("X-Forwarded-For", "203.0.113.9")
        .set("Authorization", `Bearer ${token}`)
        .expect(200);
      expect(parseExposition(res.text).samples.length).to.be.greaterThan(10);
    });

    it("refuses a missing or wrong token, even from loopback", async () => {
      for (const header of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, token]) {
        const req = request(t.url).get("/metrics");
        const res = await (header === undefined ? req : req.set("Authorization", header)).expect(
          401,
        );
        expect(res.body.error.code).to.equal("authentication_required");
        expect(res.headers["www-authenticate"]).to.match(/^Bearer/);
      }
    });
  });
});
