// How each kind of result of a run is shown in its block. runner.py decides the kinds (its
// RESULT_KINDS); here each kind has a renderer: renderer(result, view), where `view` is the
// block's output (see page.js, makeView):
//   view.text(className, text)  append a <pre> (or extend the last one of that class)
//   view.note(text, className?) append a short line of explanation
//   view.figure(svgElement)     insert a drawn graph below the text output (and announce it)
//   view.block                  the .live-block element
// A new kind is registerResult("kind", renderer), from a module page.js imports.

const renderers = new Map();

export function registerResult(kind, renderer) {
  renderers.set(kind, renderer);
}

export function showResult(result, view) {
  const renderer = renderers.get(result.kind);
  if (renderer) renderer(result, view);
  else view.note(`(a result of kind "${result.kind}" that this page cannot show)`);
}

// An SVG document (Graphviz's output) as an element of this page.
export function svgElement(svgText) {
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.nodeName !== "svg") throw new Error("Graphviz returned no SVG");
  return document.importNode(svg, true);
}

const count = (n) => n.toLocaleString("en-US");

registerResult("stdout", (result, view) => view.text("live-stdout", result.text));

registerResult("stdout-hidden", (result, view) =>
  view.note(
    `… ${count(result.lines)} more lines not shown (the page shows the first ${count(result.shown)}).`,
  ),
);

registerResult("value", (result, view) => view.text("live-value", result.text));

registerResult("error", (result, view) => view.text("live-error", result.text));

registerResult("graph", (result, view) => {
  if (result.svg) {
    try {
      view.figure(svgElement(result.svg));
      return;
    } catch (error) {
      result.svgError = error.message;
    }
  }
  view.note(`The graph could not be drawn: ${result.svgError}. Run again to retry.`, "live-problem");
});

registerResult("graph-too-big", (result, view) =>
  view.note(
    `The graph has ${count(result.nodes)} nodes, more than the ${count(result.limit)} drawn in ` +
      "the page: it would be too large to read. Draw a smaller graph: one neuron, one sample or " +
      "fewer steps.",
  ),
);
