#!/usr/bin/env node
// Builds Greydesk into dist/: the server with tsc (dist/server/src/main.js) and the browser app
// with Vite (dist/client). Plain CommonJS so it runs before anything is compiled.
//
//   node scripts/build.js              build both
//   node scripts/build.js --if-needed  build only when dist/ is missing or older than a source file
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const serverEntry = path.join(root, "dist", "server", "src", "main.js");
const clientEntry = path.join(root, "dist", "client", "index.html");

/** Folders and files whose changes call for a new build. */
const sourceDirs = ["server", "shared", "client"].map((dir) => path.join(root, dir));
const sourceFiles = ["tsconfig.json", "tsconfig.build.json"].map((file) => path.join(root, file));

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

/**
 * The newest modification time (ms) under `dir`, skipping node_modules. Folders count too: a
 * deleted source file shows only as a change of its folder.
 */
function newestUnder(dir) {
  let newest;
  let entries;
  try {
    newest = fs.statSync(dir).mtimeMs;
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === "ENOENT") {
      return 0;
    }
    throw error;
  }
  for (const entry of entries) {
    if (entry.name === "node_modules") {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestUnder(full));
    } else if (entry.isFile()) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

function mtimeOrZero(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether both outputs exist and are newer than every source file. */
function upToDate() {
  const built = Math.min(mtimeOrZero(serverEntry), mtimeOrZero(clientEntry));
  if (built === 0) {
    return false;
  }
  const newestSource = Math.max(...sourceDirs.map(newestUnder), ...sourceFiles.map(mtimeOrZero));
  return built > newestSource;
}

/** The JavaScript file behind a package's command (run with this Node, not through a shell). */
function binary(pkg, relative) {
  try {
    return path.join(
      path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] })),
      relative,
    );
  } catch {
    fail(`${pkg} is not installed; run npm ci first`);
  }
}

function run(label, script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: "inherit" });
  if (result.error) {
    fail(`${label} could not run: ${result.error.message}`);
  }
  if (result.status !== 0) {
    fail(`${label} failed (${result.signal ?? `exit code ${result.status}`})`);
  }
}

function main() {
  const ifNeeded = process.argv.includes("--if-needed");
  if (ifNeeded && upToDate()) {
    process.stdout.write("build: dist/ is up to date, nothing to do\n");
    return;
  }
  const started = Date.now();
  // Compiled files of deleted sources must not linger (a stale migration would still load).
  fs.rmSync(path.join(root, "dist", "server"), { recursive: true, force: true });
  fs.rmSync(path.join(root, "dist", "shared"), { recursive: true, force: true });
  run("tsc", binary("typescript", "bin/tsc"), ["-p", "tsconfig.build.json"]);
  run("vite build", binary("vite", "bin/vite.js"), [
    "build",
    "--config",
    "client/vite.config.ts",
    "--logLevel",
    "warn",
  ]);
  if (!fs.existsSync(serverEntry) || !fs.existsSync(clientEntry)) {
    fail("the build finished but dist/server/src/main.js or dist/client/index.html is missing");
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `build: compiled the server (tsc) and bundled the client (vite) into dist/ in ${seconds} s\n`,
  );
}

main();
