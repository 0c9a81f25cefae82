// Functions passed to puppeteer's evaluate() run inside the browser, where extension pages
// and the service worker have the `chrome` global. Only what tests and benchmarks call there.
declare const chrome: {
  runtime: {
    id?: string;
    sendMessage(message: unknown): Promise<unknown>;
  };
};
