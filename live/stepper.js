// Step through backward(): a live block whose last line is `step_backward(o)` shows the graph
// with every gradient empty, and Step, Back, Run to the end and Reset buttons that fill the
// gradients in one node at a time, in the order backward() takes them.
//
// The Python side (micrograd.graph.step_backward, described by runner.py as a "steps" result)
// sends the graph's DOT source, drawn into SVG by the worker, and the steps: for each processed
// node, what it adds to each input (the chain-rule product as text, and the input's gradient
// afterwards). Nodes are found in the SVG by their name "v<index>", which Graphviz writes into
// each node's <title>. Back and Reset replay the steps from the start: no other state is kept.

import { registerResult, svgElement } from "./results.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// As draw_dot prints them: four decimals.
const format = (x) => (Object.is(x, -0) ? 0 : x).toFixed(4);

// The <g> of every node of the SVG, by name (value boxes "v3", operation circles "v3op").
function nodesByName(svg) {
  const groups = new Map();
  for (const group of svg.querySelectorAll("g.node")) {
    const title = group.querySelector("title");
    if (title) groups.set(title.textContent.trim(), group);
  }
  return groups;
}

// The <text> of a value box that shows its gradient ("grad 0.5000"): the last line of the box,
// so that a label such as "grad" is never taken for it.
function gradText(group) {
  return Array.from(group.querySelectorAll("text"))
    .reverse()
    .find((t) => /^grad(\s|$)/.test(t.textContent.trim()));
}

// The buttons, the status line and the log for the graph `svg` of a "steps" result; the parts
// are returned to be placed around the graph.
function makeStepper(data, svg) {
  const steps = data.steps;
  const groups = nodesByName(svg);
  const grads = new Map(); // node name -> its <text> showing the gradient
  for (const name of data.nodes) {
    const text = groups.has(name) ? gradText(groups.get(name)) : undefined;
    if (text) grads.set(name, text);
  }

  const controls = element("div", "stepper-controls");
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Step through backward()");
  const button = (label, className) => {
    const b = element("button", `md-button ${className}`, label);
    b.type = "button";
    return b;
  };
  const back = button("Back", "stepper-back");
  const step = button("Step", "md-button--primary stepper-step");
  const end = button("Run to the end", "stepper-end");
  const reset = button("Reset", "stepper-reset");
  const count = element("span", "stepper-count");
  controls.append(back, step, end, reset, count);

  const status = element("p", "stepper-status");
  status.setAttribute("aria-live", "polite");
  const log = element("ol", "stepper-log");
  log.setAttribute("aria-label", "Steps of backward()");

  let done = 0; // how many steps have been taken

  function mark(name, className) {
    groups.get(name)?.classList.add(className);
    groups.get(`${name}op`)?.classList.add(className);
  }

  function entry(index) {
    const s = steps[index];
    const item = element("li", "stepper-entry");
    const head = element("p", "stepper-head");
    head.append(
      element("strong", "", `${s.name}`),
      document.createTextNode(` (${s.op}) has its gradient, ${format(s.grad)}, and passes it on:`),
    );
    const list = element("ul", "stepper-sends");
    for (const sent of s.sent) {
      const line = element("li");
      line.append(element("code", "", sent.text));
      list.append(line);
    }
    item.append(head, list);
    return item;
  }

  // Show the graph as it is after `n` steps: replayed from nothing, so Back is exact.
  function show(n) {
    done = Math.max(0, Math.min(n, steps.length));
    for (const group of groups.values()) {
      group.classList.remove("stepper-current", "stepper-receiving", "stepper-done");
    }
    const values = new Map();
    if (steps.length > 0 && done > 0) values.set(steps[0].node, steps[0].grad); // the seed: 1
    for (let i = 0; i < done; i += 1) {
      for (const sent of steps[i].sent) values.set(sent.child, sent.grad);
      if (i < done - 1) mark(steps[i].node, "stepper-done");
    }
    for (const [name, text] of grads) {
      text.textContent = values.has(name) ? `grad ${format(values.get(name))}` : "grad";
    }
    log.replaceChildren(...Array.from({ length: done }, (_, i) => entry(i)));
    if (done > 0) {
      const current = steps[done - 1];
      mark(current.node, "stepper-current");
      for (const sent of current.sent) mark(sent.child, "stepper-receiving");
      log.lastElementChild.classList.add("stepper-entry-current");
      const inputs = current.sent.map((sent) => sent.name).join(" and ");
      status.textContent =
        done === steps.length
          ? `Step ${done}, the last: ${current.name} passes its gradient to ${inputs}. ` +
            "Every gradient is now what backward() gives."
          : `Step ${done}: ${current.name} passes its gradient to ${inputs}.`;
    } else {
      status.textContent = steps.length
        ? "Every gradient is empty. Step processes the output first."
        : "This value has no inputs: there is nothing to step through.";
    }
    count.textContent = `${done} of ${steps.length} steps`;
    // aria-disabled, not disabled: the focused button keeps the focus at either end.
    for (const [b, off] of [
      [back, done === 0],
      [reset, done === 0],
      [step, done === steps.length],
      [end, done === steps.length],
    ]) {
      b.setAttribute("aria-disabled", String(off));
    }
  }

  const act = (b, next) =>
    b.addEventListener("click", () => {
      if (b.getAttribute("aria-disabled") !== "true") show(next());
    });
  act(step, () => done + 1);
  act(back, () => done - 1);
  act(end, () => steps.length);
  act(reset, () => 0);
  show(0);
  return { controls, status, log };
}

registerResult("steps", (result, view) => {
  let svg;
  try {
    svg = svgElement(result.svg ?? "");
  } catch (error) {
    view.note(`The graph could not be drawn: ${result.svgError ?? error.message}. Run again to retry.`, "live-problem");
    return;
  }
  const { controls, status, log } = makeStepper(result, svg);
  const count = result.steps.length;
  if (count === 0) view.note("This value has no inputs: backward() has nothing to do.");
  else if (count === 1) view.note("backward() takes one step here: press Step below to take it.");
  else {
    view.note(
      `backward() takes ${count} steps here, one per node with inputs, from the output back ` +
        "to the leaves: press Step below to take them one at a time.",
    );
  }
  view.figure(svg); // sized like every graph (figures.js), in the block's figures
  const figure = svg.closest(".live-graph") ?? svg;
  figure.classList.add("stepper-graph");
  figure.before(controls);
  figure.after(status, log);
});
