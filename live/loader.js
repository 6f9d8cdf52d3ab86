// The only live-code script every page loads: a few lines that look for live blocks. Until one
// comes near the screen a block is the page's highlighted code; then the live-code module
// (page.js, with the editor) is loaded and every block of the page becomes an editor. (Its
// styles, live.css, are linked from the head of every page with a live block by hooks/live.py,
// and instant navigation carries a page's head links along.) So a page whose live code is further down costs a phone nothing while it opens.
// Python itself starts later, when the learner shows they will run something (python.js).
// With instant navigation this file runs once per visit, and document$ fires for every page.
(function liveCodeLoader() {
  const base = new URL("./", document.currentScript.src);
  let live = null; // Promise of the page.js module

  function load() {
    if (!live) {
      live = import(new URL("page.js", base).href);
      live.catch(() => {
        live = null; // the next page tries again
      });
    }
    return live;
  }

  function mount() {
    load()
      .then((module) => module.mount(document))
      .catch(() => {
        // The Playground's examples are hidden from the start (hooks/live.py): show them as code.
        for (const example of document.querySelectorAll("div.live-example.highlight")) {
          example.hidden = false;
        }
        // The buttons stay disabled; each block's status line says why.
        const why = "Could not be loaded: the live editor (assets/live/page.js)";
        for (const button of document.querySelectorAll(".live-examples button")) button.title = why;
        for (const block of document.querySelectorAll(".live-block")) {
          if (!block.querySelector(":scope > div.live.highlight")) continue; // already an editor
          for (const button of block.querySelectorAll("button[disabled]")) button.title = why;
          const status = block.querySelector(".live-status");
          status.classList.add("live-problem");
          status.textContent =
            "The live editor could not be loaded (assets/live/page.js). " +
            "Check your connection and reload the page to run this code.";
        }
      });
  }

  // A block is "near" within a screen's height above or below what is shown, so the editor is
  // there before the learner scrolls to it.
  let watching = null;
  document$.subscribe(() => {
    watching?.disconnect();
    const blocks = document.querySelectorAll("div.live.highlight");
    if (blocks.length === 0) {
      live?.then((module) => module.mount(document)); // stops a run left on the previous page
      return;
    }
    if (live) {
      // Already loaded on an earlier page of this visit: mount now, which also stops a run
      // left on the previous page.
      mount();
      return;
    }
    watching = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        watching.disconnect();
        mount();
      },
      { rootMargin: "100% 0px" },
    );
    for (const block of blocks) watching.observe(block);
  });
})();
