// The Python worker: Pyodide (CPython compiled to WebAssembly) with the micrograd engine, off the
// page's main thread, so that no code a learner writes can freeze the page. `python.js` starts
// it (one per visit), sends it code to run and stops it by terminating it.
//
// Messages from the page: {type: "start", urls, interrupt?} once, then {type: "run", id, code}.
// Messages to the page:
//   {type: "progress", text, done, total}   while loading
//   {type: "ready", ms}                     Python is ready for runs
//   {type: "load-failed", file, what, reason}  an asset could not be loaded; this worker is done
//   {type: "result", id, kind, ...}         one result of run `id` (see runner.py), "done" last
//   {type: "crashed", id, message}          Python itself failed; the page starts a new worker

const ASSETS = {
  "pyodide.mjs": "Python's loader (pyodide.mjs)",
  "pyodide.asm.mjs": "Python's runtime (pyodide.asm.mjs)",
  "pyodide.asm.wasm": "Python's runtime (pyodide.asm.wasm)",
  "python_stdlib.zip": "Python's standard library (python_stdlib.zip)",
  "pyodide-lock.json": "Python's package list (pyodide-lock.json)",
  "micrograd.zip": "the micrograd engine (micrograd.zip)",
  "viz.js": "Graphviz, which draws the graph (viz.js)",
};
const LOAD_STEPS = 5; // loader, runtime, wasm, standard library, engine
const RUNNER_DIR = "/home/pyodide/live";
// How much of its stack CPython may think it has while a learner's code runs (see stack below).
const NARROW_STACK = 40 * 1024;

let urls = null;
let pyodide = null;
let runner = null;
let viz = null; // Promise of a Graphviz instance, made on the first graph
let failed = false;
let loaded = 0;

const fileOf = (url) => new URL(url, self.location.href).pathname.split("/").pop();

function fail(url, reason) {
  if (failed) return;
  failed = true;
  const file = fileOf(url);
  postMessage({ type: "load-failed", file, what: ASSETS[file] ?? file, reason });
}

function progress(text) {
  postMessage({ type: "progress", text, done: Math.min(loaded, LOAD_STEPS), total: LOAD_STEPS });
}

// Every download goes through here, Pyodide's own included: a failed one is reported at once,
// naming the file, instead of leaving the loader waiting for a file that will never come.
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  const file = fileOf(url);
  if (!pyodide) progress(`Downloading ${ASSETS[file] ?? file}…`);
  let response;
  try {
    response = await realFetch(input, init);
  } catch (error) {
    fail(url, "the download failed (offline, or blocked?)");
    throw error;
  }
  if (!response.ok) fail(url, `the server answered ${response.status} ${response.statusText}`);
  loaded += 1;
  return response;
};

async function importModule(url) {
  try {
    return await import(url);
  } catch (error) {
    fail(url, "the download failed (offline, or blocked?)");
    throw error;
  }
}

async function importViz() {
  try {
    return await import(urls.viz);
  } catch {
    throw new Error(`${ASSETS["viz.js"]} could not be loaded`);
  }
}

// Why deep graphs crashed: CPython frees a chain of objects recursively, and avoids overflowing
// the stack by checking how deep it is: in 3.14 it compares the address of the current stack
// frame with the stack's limits, and defers the rest of the chain when close to them. Compiled
// to WebAssembly, that address is in the "shadow stack" in linear memory (10 MB here), while
// the calls themselves use the JavaScript engine's native stack, about 1 MB in a worker. A
// deallocation step uses little shadow stack and much native stack, so the native stack ran
// out (RangeError: Maximum call stack size exceeded, fatal for Pyodide) after ~2,000 nodes,
// long before CPython saw a reason to defer anything.
// The fix: once Python has started (and compiled the modules it imports at start), tell
// CPython its stack is NARROW_STACK bytes long. It then defers freeing, and raises
// RecursionError on deep C recursion, well within the native stack. The price: what it defers
// is freed only when the worker is replaced (runner.py takes micrograd graphs apart before they
// are freed, so they are not deferred), and python.js replaces a worker that grew too large.
function narrowStack(module) {
  const top = module._emscripten_stack_get_base(); // the shadow stack grows down from here
  const thread = module._PyThreadState_Get();
  module._PyUnstable_ThreadState_SetStackProtection(thread, top - NARROW_STACK, NARROW_STACK);
}

async function start(message) {
  urls = message.urls;
  const began = performance.now();
  progress("Downloading Python…");
  const { loadPyodide } = await importModule(urls.pyodide + "pyodide.mjs");
  loaded += 1;
  const engine = fetch(urls.engine).then((response) => response.arrayBuffer());
  engine.catch(() => {}); // reported by fetch above; awaited below
  pyodide = await loadPyodide({ indexURL: urls.pyodide, packages: [] });
  if (message.interrupt) pyodide.setInterruptBuffer(new Uint8Array(message.interrupt));
  progress("Starting Python…");
  pyodide.unpackArchive(await engine, "zip", { extractDir: RUNNER_DIR });
  runner = pyodide.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(RUNNER_DIR)})
sys.dont_write_bytecode = False  # micrograd is imported anew by every run: from .pyc files
import live_runner, graphviz  # graphviz: imported once, before the state every run starts from
# Modules learners import, compiled now: compiling needs much more stack than narrowStack leaves.
import random, math, statistics, fractions, decimal, itertools, functools, collections
import micrograd, micrograd.nn, micrograd.graph, micrograd.losses, micrograd.data
for name in [name for name in sys.modules if name.split(".")[0] == "micrograd"]:
    del sys.modules[name]  # each run imports its own (the .pyc files are written)
del sys.modules["live_runner"]  # a learner's "import live_runner" gets a copy, not this one
live_runner.remember_fresh_state()
live_runner
`);
  narrowStack(pyodide._module);
  postMessage({ type: "ready", ms: performance.now() - began });
}

function startViz() {
  viz ??= importViz().then((module) => module.instance());
  viz.catch(() => {
    viz = null; // the next graph tries again
  });
  return viz;
}

async function draw(result) {
  try {
    result.svg = (await startViz()).renderString(result.dot, { format: "svg" });
  } catch (error) {
    result.svgError = String(error?.message ?? error);
  }
}

async function run({ id, code }) {
  const began = performance.now();
  const graphs = [];
  const send = (json) => {
    const result = JSON.parse(json);
    if (typeof result.dot === "string") graphs.push(result);
    else if (result.kind === "done") graphs.push(result); // after the graphs are drawn
    else postMessage({ type: "result", id, ...result });
  };
  try {
    runner.run(code, send);
  } catch (error) {
    postMessage({ type: "crashed", id, message: String(error?.message ?? error) });
    return;
  }
  for (const result of graphs) {
    if (result.kind !== "done") await draw(result);
    if (result.kind === "done") {
      result.ms = performance.now() - began;
      result.memory = pyodide._module.HEAP8.length; // bytes of WebAssembly memory
    }
    postMessage({ type: "result", id, ...result });
  }
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "start") await start(data);
    else if (data.type === "run") await run(data);
  } catch (error) {
    if (data.type === "start" && !failed) {
      postMessage({
        type: "load-failed",
        file: "",
        what: "Python",
        reason: String(error?.message ?? error),
      });
    }
  }
};
