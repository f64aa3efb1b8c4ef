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
      bootstrapAdmin: null,
      dataDir: "data",
      trustProxy: 0,
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
      GREYDESK_ADMIN_EMAIL: "Boss@Example.com",
      GREYDESK_ADMIN_PASSWORD: "correct horse battery staple",
      TRUST_PROXY: "1",
    });
    expect(sut).to.deep.include({
      env: "production",
      port: 0,
      redisUrl: "redis://127.0.0.1:6379",
      rateLimitPortal: 0,
      trustProxy: 1,
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
    expect(problems({ NODE_ENV: "production" })).to.deep.equal([
      "SESSION_SECRET is required when NODE_ENV=production",
    ]);
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
});
