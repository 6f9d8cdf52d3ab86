// One Python for the whole visit: the worker (worker.js) is started on the first sign that a
// learner will run code, kept while they move between pages (Material's instant navigation keeps
// this module alive), and replaced by a fresh one when a run is stopped or Python breaks.

export const TIME_LIMIT = 30; // seconds a run may take, unless a block sets data-time-limit
const INTERRUPT_GRACE = 500; // ms a KeyboardInterrupt gets to end a run before the worker goes
const MAX_MEMORY = 1024 ** 3; // bytes: a worker that grew past this is replaced after its run

let nextId = 0;

export class Python {
  constructor(base) {
    this.base = base; // URL of assets/live/
    this.urls = {
      pyodide: new URL("../vendor/pyodide/", base).href,
      engine: new URL("micrograd.zip", base).href,
      viz: new URL("../vendor/viz/viz.js", base).href,
    };
    this.worker = null;
    this.ready = null; // Promise: resolves when Python can run code, rejects with a message
    this.isReady = false;
    this.progress = null; // the last {text, done, total} while loading
    this.active = null; // the run in progress: {id, onResult, onProgress, finish, ...}
  }

  // Start Python if it is not running or loading; returns the `ready` promise.
  warm() {
    if (!this.worker) this.#start();
    return this.ready;
  }

  #start() {
    const worker = new Worker(new URL("worker.js", this.base), { type: "module" });
    this.worker = worker;
    this.isReady = false;
    this.progress = { text: "Starting Python…", done: 0, total: 1 };
    // Pyodide's interrupt buffer (a KeyboardInterrupt in the running code) needs shared
    // memory, which a page only gets when it is cross-origin isolated; GitHub Pages is not.
    this.interrupt = self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    this.ready = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.ready.catch(() => {}); // a failure is reported to the run waiting for it
    worker.onmessage = ({ data }) => this.#receive(worker, data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#failed(worker, "the Python worker (worker.js) could not be loaded");
    };
    worker.postMessage({ type: "start", urls: this.urls, interrupt: this.interrupt?.buffer });
  }

  #receive(worker, data) {
    if (worker !== this.worker) return; // a worker that was stopped may still have spoken
    if (data.type === "progress") {
      this.progress = data;
      this.active?.onProgress?.(data);
    } else if (data.type === "ready") {
      this.isReady = true;
      this.settle.resolve();
    } else if (data.type === "load-failed") {
      this.#failed(worker, `${data.what} could not be loaded: ${data.reason}`);
    } else if (data.type === "result" && this.active?.id === data.id) {
      const run = this.active;
      if (data.kind === "done") {
        this.#finish(run, { status: run.reason ?? "done", ms: data.ms });
        if (data.memory > MAX_MEMORY) {
          this.#discard(); // memory a WebAssembly program took is never given back
          this.warm();
        }
      }
      else if (data.kind === "stopped") run.reason ??= "stopped";
      else run.onResult(data);
    } else if (data.type === "crashed") {
      const run = this.active;
      this.#discard();
      if (run) this.#finish(run, { status: "crashed", message: data.message });
    }
  }

  #failed(worker, message) {
    if (worker !== this.worker) return;
    this.#discard();
    this.settle.reject(new Error(message));
  }

  // Throw the worker away (the next warm() starts a new one).
  #discard() {
    this.worker?.terminate();
    this.worker = null;
    this.isReady = false;
  }

  #finish(run, outcome) {
    if (this.active !== run) return;
    clearTimeout(run.timer);
    this.active = null;
    run.finish(outcome);
  }

  get busy() {
    return this.active !== null;
  }

  // Run `code`; resolves with {status: "done" | "stopped" | "timeout" | "failed" | "crashed",
  // ms?, message?}. Results arrive through onResult while it runs. One run at a time.
  async run(code, { onResult, onProgress, limit = TIME_LIMIT }) {
    if (this.active) return { status: "busy" };
    const run = { id: ++nextId, onResult, onProgress, limit };
    const outcome = new Promise((resolve) => {
      run.finish = resolve;
    });
    this.active = run;
    try {
      await this.warm();
    } catch (error) {
      this.#finish(run, { status: "failed", message: error.message });
      return outcome;
    }
    if (this.active !== run) return outcome; // stopped while Python was loading
    run.started = true;
    this.worker.postMessage({ type: "run", id: run.id, code });
    if (Number.isFinite(limit)) run.timer = setTimeout(() => this.stop("timeout"), limit * 1000);
    return outcome;
  }

  // End the run in progress: at once if it has not started, else by an interrupt where the page
  // can send one, else (or if the interrupt is ignored) by replacing the worker.
  stop(reason = "stopped") {
    const run = this.active;
    if (!run) return;
    run.reason = reason;
    if (!run.started) {
      this.#finish(run, { status: reason });
      return;
    }
    if (this.interrupt && !run.interrupted) {
      run.interrupted = true;
      this.interrupt[0] = 2; // SIGINT
      setTimeout(() => {
        if (this.active === run) this.stop(reason);
      }, INTERRUPT_GRACE);
      return;
    }
    this.#discard();
    this.#finish(run, { status: reason });
    this.warm(); // the next run finds a fresh Python, loaded from the browser's cache
  }
}
