// KaTeX for hooks/formulas.py: turns TeX into HTML + MathML at build time, in one Node process.
//
// Protocol, one line each way: the hook writes a JSON array of {tex, display} requests, this
// script answers with a JSON array, in the same order, of {html} or {error} (KaTeX's message).
// The hook starts it only when a formula is not in its cache yet, and ends it when the build is
// done, so a build with many pages still costs one Node start-up at most.
"use strict";

const readline = require("node:readline");
const katex = require("katex");

const OPTIONS = {
  output: "htmlAndMathml", // HTML to look at, MathML for screen readers (and the TeX source)
  throwOnError: true, // a formula KaTeX cannot parse is an error for the build, not red text
  strict: "error", // non-standard TeX too: what renders here must render in any TeX
  trust: false,
};

function render({ tex, display }) {
  try {
    return { html: katex.renderToString(tex, { ...OPTIONS, displayMode: display }) };
  } catch (error) {
    return { error: error.message };
  }
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(`${JSON.stringify(JSON.parse(line).map(render))}\n`);
});
