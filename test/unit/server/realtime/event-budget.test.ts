import { expect } from "chai";
import { EventBudget } from "../../../../server/src/realtime/event-budget";

describe("EventBudget (a socket's client events, T38)", () => {
  function budget(policy = { burst: 3, perSecond: 2, abusiveAfter: 2 }) {
    let now = 0;
    return {
      bucket: new EventBudget(policy, () => now),
      advance: (ms: number) => (now += ms),
    };
  }

  it("lets a burst through at once, then refuses until time refills it", () => {
    const { bucket, advance } = budget();
    expect([bucket.take(), bucket.take(), bucket.take()]).to.deep.equal(["ok", "ok", "ok"]);
    expect(bucket.take()).to.equal("refused");
    advance(499);
    expect(bucket.take()).to.equal("refused");
    advance(1);
    // Two refusals in a row were forgiven by the one event let through.
    expect(bucket.take()).to.equal("ok");
    expect(bucket.take()).to.equal("refused");
  });

  it("never refills past the burst, however long the socket was quiet", () => {
    const { bucket, advance } = budget();
    advance(3_600_000);
    const verdicts = Array.from({ length: 4 }, () => bucket.take());
    expect(verdicts).to.deep.equal(["ok", "ok", "ok", "refused"]);
  });

  it("calls a socket abusive once it has been refused more than abusiveAfter times in a row", () => {
    const { bucket } = budget();
    for (let i = 0; i < 3; i++) {
      bucket.take();
    }
    expect([bucket.take(), bucket.take(), bucket.take()]).to.deep.equal([
      "refused",
      "refused",
      "abusive",
    ]);
  });
});
