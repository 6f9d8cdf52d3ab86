// Live code blocks: a fenced block written as ```python {.live} becomes an editor with a Run
// button. Running it starts Python in the page (Pyodide, from this site's own assets), with the
// project's `micrograd` package importable, and shows what the code printed, the value of its last
// expression, a graph for `draw_dot(...)` (drawn by Graphviz compiled to WebAssembly), or the
// Python traceback of an error.
//
// Nothing is fetched until the first Run on a page; later runs reuse the same Python.
(function liveCode() {
  const blocks = document.querySelectorAll("div.live.highlight");
  if (blocks.length === 0) return;

  // assets/javascripts/live.js -> assets/...: the vendored files are copied there at build time.
  const assetsUrl = new URL("../", document.currentScript.src);
  const asset = (path) => new URL(path, assetsUrl).href;

  let python = null; // Promise of the runner's `run` function, created on the first Run
  let viz = null; // Promise of a Viz instance, created on the first graph

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(script);
    });
  }

  function startPython() {
    python ??= (async () => {
      await loadScript(asset("vendor/pyodide/pyodide.js"));
      const pyodide = await window.loadPyodide({ indexURL: asset("vendor/pyodide/") });
      const archive = await fetch(asset("live/micrograd.zip"));
      if (!archive.ok) throw new Error(`could not load micrograd.zip (${archive.status})`);
      pyodide.unpackArchive(await archive.arrayBuffer(), "zip", { extractDir: "/home/pyodide/live" });
      pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/live')");
      return pyodide.pyimport("live_runner").run;
    })();
    python.catch(() => {
      python = null; // let the next click try again
    });
    return python;
  }

  function startViz() {
    viz ??= loadScript(asset("vendor/viz/viz-global.js")).then(() => window.Viz.instance());
    viz.catch(() => {
      viz = null; // let the next graph try again
    });
    return viz;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function show(output, report) {
    output.replaceChildren();
    if (report.stdout) output.append(element("pre", "live-stdout", report.stdout));
    if (report.value !== undefined) output.append(element("pre", "live-value", report.value));
    if (report.error !== undefined) output.append(element("pre", "live-error", report.error));
    if (report.dot !== undefined) {
      const graph = element("div", "live-graph");
      graph.append((await startViz()).renderSVGElement(report.dot));
      output.append(graph);
      // A graph wider than the page scrolls sideways: make it reachable with the keyboard.
      if (graph.scrollWidth > graph.clientWidth) graph.tabIndex = 0;
    }
    if (!output.hasChildNodes()) output.append(element("p", "live-status", "(no output)"));
  }

  function makeLive(block) {
    const code = block.querySelector("code").textContent.replace(/\n$/, "");
    const editor = element("textarea", "live-editor");
    editor.value = code;
    editor.spellcheck = false;
    editor.setAttribute("aria-label", "Python code, editable");
    const fit = () => {
      editor.rows = Math.max(3, editor.value.split("\n").length);
    };
    fit();
    editor.addEventListener("input", fit);

    const run = element("button", "md-button md-button--primary live-run", "Run");
    const reset = element("button", "md-button live-reset", "Reset");
    const hint = element("span", "live-hint", "Python runs in your browser. Ctrl+Enter runs.");
    const toolbar = element("div", "live-toolbar");
    toolbar.append(run, reset, hint);
    const output = element("div", "live-output");
    output.setAttribute("aria-live", "polite");

    const container = element("div", "live-block");
    container.append(editor, toolbar, output);
    block.replaceWith(container);

    async function execute() {
      run.disabled = true;
      const first = python === null;
      output.replaceChildren(
        element("p", "live-status", first ? "Loading Python… (first run only)" : "Running…"),
      );
      // Graphviz loads while Python starts, when the code is likely to draw a graph.
      if (editor.value.includes("draw_dot")) startViz().catch(() => {});
      try {
        const runner = await startPython();
        await show(output, JSON.parse(runner(editor.value)));
      } catch (error) {
        output.replaceChildren(element("pre", "live-error", `Could not run the code: ${error}`));
      } finally {
        run.disabled = false;
      }
    }

    run.addEventListener("click", execute);
    reset.addEventListener("click", () => {
      editor.value = code;
      fit();
      output.replaceChildren();
    });
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        execute();
      } else if (event.key === "Tab" && !event.shiftKey) {
        event.preventDefault(); // indent instead of leaving the editor
        editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
      }
    });
    return { container, editor, fit, output };
  }

  const editors = Array.from(blocks, makeLive);

  // The Playground: blocks marked {.live-example title="..."} are examples to load into the first
  // live editor on the page.
  const examples = document.querySelectorAll("div.live-example.highlight");
  if (examples.length > 0 && editors.length > 0) {
    const target = editors[0];
    const picker = element("div", "live-examples");
    picker.append(element("span", "live-hint", "Load an example:"));
    for (const example of examples) {
      const title = example.querySelector(".filename")?.textContent ?? "Example";
      const source = example.querySelector("code").textContent.replace(/\n$/, "");
      const button = element("button", "md-button live-example-button", title);
      button.addEventListener("click", () => {
        target.editor.value = source;
        target.fit();
        target.output.replaceChildren();
        target.editor.focus();
      });
      picker.append(button);
      example.hidden = true;
    }
    target.container.before(picker);
  }
})();
