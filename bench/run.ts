import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchCreate } from "./create";
import { benchFanout } from "./fanout";
import { root } from "./processes";
import { benchQueue } from "./queue";

/**
 * `npm run bench`: measures Greydesk against goals, compared in the same run with a bare
 * baseline, and writes the figures to bench-results/. `--quick` runs small sizes (a smoke test
 * of the bench itself); the figures reported in the README come from a full run.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const sizes = quick
    ? { createSeconds: 3, tickets: 20_000, samples: 60, sockets: 200, fanoutTickets: 5 }
    : { createSeconds: 15, tickets: 1_000_000, samples: 400, sockets: 1000, fanoutTickets: 50 };
  const say = (line: string) => process.stderr.write(`${line}\n`);

  say(`bench: ticket creation, 50 connections, ${sizes.createSeconds} s each...`);
  const create = await benchCreate(sizes.createSeconds);
  say(`bench: queue and search at ${sizes.tickets.toLocaleString("en")} tickets...`);
  const queue = await benchQueue(sizes.tickets, sizes.samples);
  say(`bench: fan-out to ${sizes.sockets} sockets...`);
  const fanout = await benchFanout(sizes.sockets, sizes.fanoutTickets);

  const machine = {
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const result = { date: new Date().toISOString(), quick, machine, create, queue, fanout };
  const dir = path.join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${result.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(dir, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);

  const rows: [string, string, string][] = [
    [
      "create: portal API, req/s (p50 / p99 ms)",
      `${create.greydesk.rps} (${create.greydesk.p50} / ${create.greydesk.p99})`,
      `baseline ${create.baseline.rps} (${create.baseline.p50} / ${create.baseline.p99}); ratio ${create.ratio} (goal >= 0.5); errors ${create.greydesk.errors + create.greydesk.non2xx}`,
    ],
    [
      `queue: 50 rows of ${queue.tickets.toLocaleString("en")}, p50 / p95 / p99 ms`,
      `${queue.queue.p50} / ${queue.queue.p95} / ${queue.queue.p99}`,
      `goal p95 < 20 ms; ${queue.queue.samples} requests; data loaded in ${queue.generateSeconds} s`,
    ],
    ["search by IMEI, p95 ms", `${queue.searchImei.p95}`, `p50 ${queue.searchImei.p50}`],
    ["search by a word, p95 ms", `${queue.searchWord.p95}`, `p50 ${queue.searchWord.p50}`],
    [
      `fan-out to ${fanout.sockets} sockets, p50 / p99 ms`,
      `${fanout.receipt.p50} / ${fanout.receipt.p99}`,
      `last receipt p50 ${fanout.lastReceipt.p50}, p99 ${fanout.lastReceipt.p99} (goal p99 < 100); create response p50 ${fanout.createResponse.p50}`,
    ],
    [
      "RSS idle / with sockets, MiB",
      `${fanout.rssIdleMiB} / ${fanout.rssSocketsMiB}`,
      `${fanout.sockets} sockets`,
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(
    `\nGreydesk bench${quick ? " (quick)" : ""} on ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}\n\n`,
  );
  for (const [what, value, note] of rows) {
    process.stdout.write(`${what.padEnd(width)}  ${value.padEnd(valueWidth)}  ${note}\n`);
  }
  process.stdout.write(`\nwritten to ${path.relative(root, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
