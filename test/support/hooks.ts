import "reflect-metadata";

// Tests never reach the outside world: only loopback connections are expected. Anything a test
// forgets to close shows up as mocha not exiting (there is no --exit), which is a bug to fix.
export const mochaHooks = {};
