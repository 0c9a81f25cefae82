// Preloaded into a child Node process (`node --import …`): prints its peak resident set size
// when it exits, so a benchmark can measure the real CLI without changing it.
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
