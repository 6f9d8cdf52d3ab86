// The only live-code script every page loads: a few lines that look for live blocks. On the first
// page that has one, it loads the live-code module (page.js, with the editor) and its styles;
// Python itself starts later, when the learner shows they will run something (python.js).
// With instant navigation this file runs once per visit, and document$ fires for every page.
(function liveCodeLoader() {
  const base = new URL("./", document.currentScript.src);
  let live = null; // Promise of the page.js module
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("live.css", base).href;

  function load() {
    // Instant navigation replaces the <head>'s contents: the styles go back in on each page.
    if (!style.isConnected) document.head.append(style);
    if (!live) {
      live = import(new URL("page.js", base).href);
      live.catch(() => {
        live = null; // the next page tries again
        style.remove();
      });
    }
    return live;
  }

  document$.subscribe(() => {
    if (!document.querySelector("div.live.highlight")) {
      live?.then((module) => module.mount(document)); // stops a run left on the previous page
      return;
    }
    load()
      .then((module) => module.mount(document))
      .catch(() => {
        for (const block of document.querySelectorAll("div.live.highlight")) {
          const note = document.createElement("p");
          note.className = "admonition failure";
          note.textContent =
            "The live editor could not be loaded (assets/live/page.js). " +
            "Check your connection and reload the page to run this code.";
          block.after(note);
        }
      });
  });
})();
