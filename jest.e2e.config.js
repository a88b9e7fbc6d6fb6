/** `npm run test:e2e`: real Chromium against a real server; not part of `npm test`. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/tests/e2e/**/*.e2e.ts'],
  testTimeout: 90000,
  // One browser at a time: each page encodes and decodes video on this machine's two cores.
  maxWorkers: 1,
};
