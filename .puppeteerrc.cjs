// Puppeteer must never download its own browser: the machines reach no host but the
// package registries, so tests drive Debian's Chromium (see tests/e2e/support/browser.ts).
module.exports = { skipDownload: true };
