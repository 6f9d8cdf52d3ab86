// Small accessibility fixes to Material's and nbconvert's markup, applied once the page is ready:
// - the search overlay is a dialog and needs a name for screen readers;
// - code annotation markers are links whose only content is a number, so give them a label;
// - a box that scrolls sideways (a long line in a notebook cell, a wide formula on a phone) must
//   be reachable with the keyboard, so that arrow keys can scroll it: make it focusable, as
//   Material does for its own code blocks. Only boxes that really overflow get a tab stop.
//   (Figures: figures.js.)
const SCROLL_BOXES = [".highlight-ipynb", ".jp-RenderedText pre", ".katex-display"].join(", ");

function focusableWhenScrolling(root) {
  root.querySelectorAll(SCROLL_BOXES).forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
}

document$.subscribe(() => {
  document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
    dialog.setAttribute("aria-label", "Search the notes");
  });
  document.querySelectorAll(".md-annotation__index").forEach((marker) => {
    const number = marker.textContent.trim() || marker.getAttribute("data-md-annotation-id");
    marker.setAttribute("aria-label", `Code annotation ${number}`);
  });
  focusableWhenScrolling(document);
});
// Images take their width only once decoded: look again when everything has loaded.
window.addEventListener("load", () => focusableWhenScrolling(document));
