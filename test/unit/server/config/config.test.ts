import { expect } from "chai";
import { ConfigError, parseConfig } from "../../../../server/src/config/config";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("gives the documented defaults (README.md) for an empty environment", () => {
    const sut = parseConfig({});
    expect(sut).to.deep.include({
      env: "development",
      port: 3000,
      redisUrl: null,
      sessionSecret: null,
      rateLimitPortal: 30,
      rateLimitPortalReplies: 60,
      bootstrapAdmin: null,
      dataDir: "data",
      trustProxy: 0,
      publicUrl: "http://localhost:3000",
    });
    expect(sut.database).to.deep.equal({ type: "sqlite", path: "data/greydesk.sqlite" });
    expect(Object.isFrozen(sut)).to.equal(true);
  });

  it("reads every variable", () => {
    const sut = parseConfig({
      NODE_ENV: "production",
      PORT: "0",
      DATABASE_URL: "postgres://greydesk@db.internal:5432/greydesk",
      REDIS_URL: "redis://127.0.0.1:6379",
      SESSION_SECRET: "s".repeat(40),
      RATE_LIMIT_PORTAL: "0",
      RATE_LIMIT_PORTAL_REPLIES: "25",
      GREYDESK_ADMIN_EMAIL: "Boss@Example.com",
      GREYDESK_ADMIN_PASSWORD: "correct horse battery staple",
      TRUST_PROXY: "1",
      PUBLIC_URL: "https://Desk.Example.com/",
    });
    expect(sut).to.deep.include({
      env: "production",
      port: 0,
      redisUrl: "redis://127.0.0.1:6379",
      rateLimitPortal: 0,
      rateLimitPortalReplies: 25,
      trustProxy: 1,
      publicUrl: "https://desk.example.com",
    });
    expect(sut.database).to.deep.equal({
      type: "postgres",
      url: "postgres://greydesk@db.internal:5432/greydesk",
    });
    expect(sut.bootstrapAdmin).to.deep.equal({
      email: "boss@example.com",
      password: "correct horse battery staple",
    });
  });

  it("takes sqlite::memory: and sqlite:PATH", () => {
    expect(parseConfig({ DATABASE_URL: "sqlite::memory:" }).database).to.deep.equal({
      type: "sqlite",
      path: ":memory:",
    });
    expect(parseConfig({ DATABASE_URL: "sqlite:/var/lib/gd/desk.sqlite" }).database).to.deep.equal({
      type: "sqlite",
      path: "/var/lib/gd/desk.sqlite",
    });
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ PORT: "", REDIS_URL: "" })).to.include({ port: 3000, redisUrl: null });
  });

  it("lists every problem at once, naming each variable", () => {
    const list = problems({
      PORT: "70000",
      DATABASE_URL: "mysql://x",
      REDIS_URL: "http://redis",
      RATE_LIMIT_PORTAL: "-1",
      NODE_ENV: "staging",
      SESSION_SECRET: "short",
    });
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "REDIS_URL",
      "RATE_LIMIT_PORTAL",
      "NODE_ENV",
      "SESSION_SECRET",
    ]) {
      expect(
        list.some((p) => p.startsWith(name)),
        name,
      ).to.equal(true);
    }
    expect(list).to.have.length(6);
  });

  it("refuses a port that is not a whole number", () => {
    expect(problems({ PORT: "80.5" })[0]).to.match(/^PORT /);
    expect(problems({ PORT: "abc" })[0]).to.match(/^PORT /);
  });

  it("requires SESSION_SECRET in production", () => {
    expect(
      problems({ NODE_ENV: "production", PUBLIC_URL: "https://desk.example.com" }),
    ).to.deep.equal(["SESSION_SECRET is required when NODE_ENV=production"]);
  });

  it("requires PUBLIC_URL in production, naming it", () => {
    expect(problems({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(40) })).to.deep.equal([
      "PUBLIC_URL is required when NODE_ENV=production (the address customers reach the desk at)",
    ]);
  });

  it("links to http://localhost:PORT without PUBLIC_URL, and to the chosen port with PORT=0", () => {
    expect(parseConfig({ PORT: "8080" }).publicUrl).to.equal("http://localhost:8080");
    expect(parseConfig({ PORT: "0" }).publicUrl).to.equal(null);
  });

  it("takes PUBLIC_URL as an http(s) origin, and refuses anything else", () => {
    expect(parseConfig({ PUBLIC_URL: "http://desk.internal:8080" }).publicUrl).to.equal(
      "http://desk.internal:8080",
    );
    for (const bad of [
      "desk.example.com",
      "ftp://desk.example.com",
      "javascript:alert(1)",
      "https://desk.example.com/support",
      "https://desk.example.com/?next=1",
      "https://desk.example.com/#top",
      "https://user:pass@desk.example.com",
    ]) {
      const found = problems({ PUBLIC_URL: bad });
      expect(found, bad).to.have.length(1);
      expect(found[0], bad).to.match(/^PUBLIC_URL /);
    }
  });

  it("wants the admin email and password together, and a real email", () => {
    expect(problems({ GREYDESK_ADMIN_EMAIL: "a@example.com" })[0]).to.match(
      /^GREYDESK_ADMIN_PASSWORD/,
    );
    expect(problems({ GREYDESK_ADMIN_PASSWORD: "long enough password" })[0]).to.match(
      /^GREYDESK_ADMIN_EMAIL/,
    );
    expect(
      problems({
        GREYDESK_ADMIN_EMAIL: "nope",
        GREYDESK_ADMIN_PASSWORD: "long enough password",
      })[0],
    ).to.match(/^GREYDESK_ADMIN_EMAIL/);
    expect(
      problems({ GREYDESK_ADMIN_EMAIL: "a@example.com", GREYDESK_ADMIN_PASSWORD: "short" })[0],
    ).to.match(/^GREYDESK_ADMIN_PASSWORD/);
  });

  it("reads the operations settings: metrics token, scheduled backups, attachment retention", () => {
    const off = parseConfig({});
    expect(off).to.deep.include({
      metricsToken: null,
      backup: null,
      attachmentRetentionDays: null,
    });
    const on = parseConfig({
      METRICS_TOKEN: "t".repeat(32),
      BACKUP_DIR: "/var/backups/greydesk",
      BACKUP_EVERY: "6h",
      ATTACHMENT_RETENTION_DAYS: "365",
    });
    expect(on.metricsToken).to.equal("t".repeat(32));
    expect(on.backup).to.deep.equal({
      dir: "/var/backups/greydesk",
      everyMs: 6 * 3600_000,
      keep: 7,
    });
    expect(on.attachmentRetentionDays).to.equal(365);
    expect(
      parseConfig({ BACKUP_DIR: "b", BACKUP_EVERY: "1d", BACKUP_KEEP: "3" }).backup,
    ).to.deep.equal({ dir: "b", everyMs: 86_400_000, keep: 3 });
    expect(parseConfig({ ATTACHMENT_RETENTION_DAYS: "0" }).attachmentRetentionDays).to.equal(null);
  });

  it("refuses bad operations settings by name", () => {
    for (const every of ["6", "5m", "6 hours", "31d", "-1h"]) {
      expect(problems({ BACKUP_DIR: "b", BACKUP_EVERY: every })[0], every).to.match(
        /^BACKUP_EVERY /,
      );
    }
    expect(problems({ BACKUP_EVERY: "6h" })[0]).to.match(/^BACKUP_DIR .*go together/);
    expect(problems({ BACKUP_DIR: "b" })[0]).to.match(/^BACKUP_EVERY .*go together/);
    expect(problems({ METRICS_TOKEN: "short" })[0]).to.match(/^METRICS_TOKEN /);
    expect(problems({ METRICS_TOKEN: `${"t".repeat(30)} x` })[0]).to.match(/^METRICS_TOKEN /);
    expect(problems({ ATTACHMENT_RETENTION_DAYS: "ten" })[0]).to.match(
      /^ATTACHMENT_RETENTION_DAYS /,
    );
  });
});
