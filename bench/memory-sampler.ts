/**
 * Samples the process's resident set size every 100 ms and keeps the maximum. The whole
 * benchmark runs in one process, so this is operator + Kubernetes API test server + DRS
 * simulator + the benchmark itself: an upper bound on the operator's footprint.
 */
export class MemorySampler {
  #peakRss = process.memoryUsage.rss();
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs = 100) {
    this.#timer = setInterval(() => this.sample(), everyMs);
    // Sampling must never be what keeps the process alive.
    this.#timer.unref();
  }

  sample(): void {
    try {
      this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss());
    } catch {
      // rss() needs a file descriptor: out of them (EMFILE), skip this sample and let the
      // code that really needs one report it, rather than crash the run from here.
    }
  }

  get peakRss(): number {
    return this.#peakRss;
  }

  stop(): void {
    this.sample();
    clearInterval(this.#timer);
  }
}
