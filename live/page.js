// Live code blocks: a fenced block written as ```python {.live} becomes an editor with Run, Stop,
// Clear and Reset. The code runs in a Web Worker (python.js, worker.js); what it prints streams
// into a box of its own, capped by the runner; each other result is drawn by its renderer
// (results.js). loader.js imports this module on the first page that has a live block and calls
// mount() on every page shown after that (instant navigation keeps this module and its Python).

import { createEditor } from "./editor.js";
import { Python, TIME_LIMIT } from "./python.js";
import { showResult } from "./results.js";
import "./stepper.js"; // the "steps" result: stepping through backward()

const python = new Python(new URL("./", import.meta.url));
const mounted = new Set(); // the blocks of the page on screen

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, className, onClick) {
  const node = element("button", `md-button ${className}`, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

// `callback` once the page has loaded and the browser has a moment: the Playground starts Python
// as soon as it is open, but its 12 MB would otherwise compete with the page's own loading.
function afterLoad(callback) {
  const soon = () =>
    self.requestIdleCallback ? requestIdleCallback(callback, { timeout: 2000 }) : setTimeout(callback);
  if (document.readyState === "complete") soon();
  else addEventListener("load", soon, { once: true });
}

const seconds = (limit) => (limit % 60 === 0 ? `${limit / 60} min` : `${limit} s`);

// The output of one block: text boxes, notes and graphs, as results.js's renderers use it.
function makeView(block, output, figures) {
  return {
    block,
    text(className, text) {
      const last = output.lastElementChild;
      if (last?.classList.contains(className)) last.append(text);
      else output.append(element("pre", className, text));
      if (className === "live-stdout") output.scrollTop = output.scrollHeight;
    },
    note(text, className = "live-note") {
      output.append(element("p", className, text));
    },
    figure(svg) {
      const figure = element("div", "live-graph");
      figure.append(svg);
      figures.append(figure);
      // figures.js sizes it like every graph and adds its "full size" view (CONTRACTS.md).
      document.dispatchEvent(new CustomEvent("notes:figure", { detail: figure }));
    },
  };
}

// Ready: a button the page was built with (hooks/live.py writes it disabled) now works.
function enable(node, onClick) {
  node.disabled = false;
  node.removeAttribute("title");
  node.addEventListener("click", onClick);
  return node;
}

// `block` is a .live-block as hooks/live.py writes it: the highlighted code, then the toolbar,
// the status line, the progress bar, the output and the figures. The code becomes the editor,
// in the same place and of the same height (live.css), and the buttons start working.
function makeLive(block, { warmNow }) {
  const original = block.querySelector("div.live.highlight");
  const source = original.querySelector("code").textContent.replace(/\n$/, "");
  const limitAttribute = Number(original.dataset.timeLimit);
  block.dataset.timeLimit = limitAttribute > 0 ? limitAttribute : TIME_LIMIT;
  const part = (className) => block.querySelector(`:scope > .${className}`);
  const toolbar = part("live-toolbar");
  const status = part("live-status");
  const bar = part("live-progress");
  const output = part("live-output");
  const figures = part("live-figures");

  const editorBox = element("div", "live-editor");
  const hadFocus = original.contains(document.activeElement); // e.g. tabbed to before it upgraded
  original.replaceWith(editorBox);

  const editor = createEditor(editorBox, source, {
    label: "Python code, editable. Tab indents; press Escape, then Tab, to leave the editor.",
    onRun: () => execute(),
    onFocus: () => python.warm(),
  });
  const view = makeView(block, output, figures);

  const run = enable(toolbar.querySelector(".live-run"), () => execute());
  const stop = enable(toolbar.querySelector(".live-stop"), () => python.stop());
  const clear = enable(toolbar.querySelector(".live-clear"), () => clearOutput());
  const reset = enable(toolbar.querySelector(".live-reset"), () => {
    editor.code = source;
    clearOutput();
  });
  run.addEventListener("pointerenter", () => python.warm(), { once: true });

  let running = false;

  function clearOutput() {
    if (running) return;
    output.replaceChildren();
    output.hidden = true;
    figures.replaceChildren();
    status.textContent = "";
  }

  function showProgress({ text, done, total }) {
    status.textContent = `Loading Python: ${text}`;
    bar.hidden = false;
    bar.max = total;
    bar.value = done;
  }

  async function execute(limit = Number(block.dataset.timeLimit)) {
    if (running) return; // Ctrl+Enter runs only when Run would
    if (python.busy) {
      status.textContent = "Another block is running: stop it first (its Stop button).";
      return;
    }
    running = true;
    run.hidden = true;
    stop.hidden = false;
    clear.disabled = reset.disabled = true;
    output.replaceChildren();
    figures.replaceChildren();
    output.hidden = false;
    output.setAttribute("aria-busy", "true");
    if (python.isReady) status.textContent = "Running…";
    else showProgress(python.progress ?? { text: "starting…", done: 0, total: 1 });
    let started = false;
    const outcome = await python.run(editor.code, {
      limit,
      onProgress: showProgress,
      onResult(result) {
        if (!started) {
          started = true;
          bar.hidden = true;
          status.textContent = "Running…";
        }
        showResult(result, view);
      },
    });
    bar.hidden = true;
    report(outcome, limit);
    running = false;
    run.hidden = false;
    stop.hidden = true;
    clear.disabled = reset.disabled = false;
    output.removeAttribute("aria-busy");
    if (!output.hasChildNodes() && !figures.hasChildNodes()) {
      output.append(element("p", "live-note", "(no output)"));
    }
    if (document.activeElement === stop || document.activeElement === document.body) run.focus();
  }

  function report(outcome, limit) {
    status.textContent = "";
    if (outcome.status === "done") {
      status.textContent = `Ran in ${Math.max(1, Math.round(outcome.ms))} ms.`;
    } else if (outcome.status === "stopped") {
      view.note("Stopped. Python starts afresh for the next run.", "live-problem");
    } else if (outcome.status === "timeout") {
      view.note(
        `Stopped after ${seconds(limit)}: that is the time limit of a run in this page, so that ` +
          "a loop that never ends cannot keep your browser busy. Make the code do less (fewer " +
          "steps or smaller numbers), or run it once with no limit:",
        "live-problem",
      );
      output.append(button("Run without a time limit", "live-nolimit", () => execute(Infinity)));
    } else if (outcome.status === "failed") {
      view.note(`Could not start Python: ${outcome.message}. Press Run to try again.`, "live-problem");
    } else if (outcome.status === "crashed") {
      view.note(
        `Python itself failed (${outcome.message}); a fresh Python is starting. ` +
          "Press Run to run the code again.",
        "live-problem",
      );
    }
  }

  if (hadFocus) editor.focus();
  if (warmNow) afterLoad(() => python.warm());
  return {
    block,
    editor,
    showCode(code) {
      if (running) return;
      editor.code = code;
      clearOutput();
      editor.focus();
    },
  };
}

// The Playground: blocks marked {.live-example title="..."} are examples for its first editor;
// hooks/live.py wrote their buttons (in the same order) before it, and hid the examples.
function makeExamples(root, target) {
  const examples = root.querySelectorAll("div.live-example.highlight");
  const buttons = root.querySelectorAll(".live-examples .live-example-button");
  examples.forEach((example, index) => {
    const code = example.querySelector("code").textContent.replace(/\n$/, "");
    if (buttons[index]) enable(buttons[index], () => target.showCode(code));
  });
}

export function mount(root = document) {
  // A run whose block has left the screen (the learner moved to another page) is stopped.
  for (const block of mounted) if (!block.isConnected) mounted.delete(block);
  if (python.busy && mounted.size === 0) python.stop();
  const waiting = [...root.querySelectorAll(".live-block")].filter((block) =>
    block.querySelector(":scope > div.live.highlight"),
  );
  if (waiting.length === 0) return;
  const playground = root.querySelector("div.live-example.highlight") !== null;
  const blocks = waiting.map((block) => makeLive(block, { warmNow: playground }));
  for (const { block } of blocks) mounted.add(block);
  makeExamples(root, blocks[0]);
}
