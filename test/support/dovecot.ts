import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, sleep } from "./ports";

const DOVECOT = ["/usr/sbin/dovecot", "/usr/bin/dovecot"].find((file) => existsSync(file));

export interface TestMailbox {
  url: string;
  port: number;
  user: string;
  pass: string;
  stop(): Promise<void>;
}

/** Whether Debian's dovecot-imapd is installed (CI installs it: see .ci/run). */
export const hasDovecot = DOVECOT !== undefined && process.getuid?.() === 0;

/**
 * A real IMAP server for a test: Debian's Dovecot, run in the foreground from a config of its own
 * in a temporary folder, on 127.0.0.1 and a free port, with one mailbox user and a static
 * password. Dovecot refuses to keep mail as root, so the mail belongs to `nobody`.
 */
export async function startTestMailbox(): Promise<TestMailbox> {
  if (DOVECOT === undefined) {
    throw new Error("dovecot is not installed");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "greydesk-imap-"));
  for (const sub of ["run", "state", "home"]) {
    mkdirSync(path.join(dir, sub));
  }
  // mkdtemp makes the folder private to root; the mail's owner must reach its home inside.
  chmodSync(dir, 0o755);
  chownSync(path.join(dir, "home"), 65534, 65534);
  const port = await freePort();
  const pass = "imap-test-password";
  writeFileSync(
    path.join(dir, "dovecot.conf"),
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      "protocols = imap",
      "listen = 127.0.0.1",
      "ssl = no",
      "disable_plaintext_auth = no",
      "auth_mechanisms = plain login",
      "default_internal_user = dovecot",
      "default_login_user = dovenull",
      `passdb {\n  driver = static\n  args = password=${pass}\n}`,
      `userdb {\n  driver = static\n  args = uid=65534 gid=65534 home=${dir}/home/%u\n}`,
      `mail_location = maildir:${dir}/home/%u/Maildir`,
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      "service anvil {\n  chroot =\n}",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(DOVECOT, ["-F", "-c", path.join(dir, "dovecot.conf")], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const end = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) {
      break;
    }
    if (Date.now() > end || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error("dovecot did not start");
    }
    await sleep(50);
  }
  return {
    url: `imap://support:${pass}@127.0.0.1:${port}/INBOX`,
    port,
    user: "support",
    pass,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
