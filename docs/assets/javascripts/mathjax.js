// Typeset math with our own copy of MathJax, loaded only on pages that have math.
//
// Markdown pages: pymdownx.arithmatex wraps math in elements of class "arithmatex" with \( \) and
// \[ \] delimiters. Notebook pages: mkdocs-jupyter leaves $...$ and $$...$$ as text inside
// "jp-RenderedMarkdown" cells. MathJax typesets only inside those elements (startup.elements),
// so a dollar sign in ordinary text, in code or in a cell's printed output is never taken for math.
const MATH_ELEMENTS = [".arithmatex", ".jp-RenderedMarkdown"];
window.MathJax = {
  // The components to load (see hooks/assets.py); each formula is typeset when it comes into view.
  loader: { load: ["input/tex", "output/chtml", "ui/lazy", "a11y/assistive-mml"] },
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  startup: { elements: MATH_ELEMENTS },
  chtml: { displayAlign: "center" },
};

(function loadMathJax() {
  const notebookMath = Array.from(document.querySelectorAll(".jp-RenderedMarkdown")).some(
    (cell) => /\$|\\\(|\\\[/.test(cell.textContent),
  );
  if (!document.querySelector(".arithmatex") && !notebookMath) return;
  const script = document.createElement("script");
  // Relative to this file: assets/javascripts/ -> assets/vendor/mathjax/ (copied at build time).
  script.src = new URL("../vendor/mathjax/startup.js", document.currentScript.src).href;
  script.async = true;
  document.head.appendChild(script);
})();
