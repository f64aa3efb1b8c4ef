import "reflect-metadata";
import { ConfigError, parseConfig } from "./config/config";
import { createServer } from "./server";

/** Process entry: parse the environment once, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const server = createServer(config);
  const { address, bootstrap } = await server.start();
  process.stdout.write(`Greydesk listening on http://localhost:${address.port}\n`);
  if (bootstrap?.generatedPassword) {
    process.stdout.write(
      `\nFirst start: created the admin ${bootstrap.email} with the password\n\n    ${bootstrap.generatedPassword}\n\n` +
        "It is shown only this once. Sign in and change it.\n\n",
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  // A promise a library forgot to handle must not take the desk down; it is logged instead.
  process.on("unhandledRejection", (reason: unknown) => {
    process.stderr.write(
      `Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}\n`,
    );
  });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Greydesk could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
