// Figures: a "Full size" button on every graph and plot, opening a pan-and-zoom view.
//
// - Static figures (notebook outputs, topic-page figures) are marked up at build time by
//   hooks/figures.py; they are enhanced on every page Material's instant navigation shows
//   (document$). Graphs drawn in the page later (live blocks, the step-through) arrive as
//   `document.dispatchEvent(new CustomEvent("notes:figure", { detail: wrapper }))`, where
//   `wrapper` holds the new <svg>: they get the same markup, so the same CSS rule sizes them
//   (docs/assets/stylesheets/figures.css).
// - The full-size view is a modal <dialog>: Escape or "Close" closes it and focus goes back to
//   the button that opened it. The figure shows at its natural size; dragging, the mouse wheel,
//   the buttons and the keyboard (arrows, + and -, 0 to fit) pan and zoom it, with Panzoom
//   (npm @panzoom/panzoom, copied into the site at build time and loaded on the first open).
(() => {
  if (typeof document$ === "undefined") return;
  const assetsUrl = new URL("../", document.currentScript.src); // assets/javascripts/ -> assets/
  const PANZOOM_URL = new URL("vendor/panzoom/dist/panzoom.min.js", assetsUrl).href;
  const PAN_STEP = 60; // pixels per arrow key press
  let panzoomLoader = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function loadPanzoom() {
    panzoomLoader ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = PANZOOM_URL;
      script.onload = () =>
        window.Panzoom ? resolve(window.Panzoom) : reject(new Error("no Panzoom in the script"));
      script.onerror = () => reject(new Error(`could not load ${PANZOOM_URL}`));
      document.head.append(script);
    });
    panzoomLoader.catch(() => {
      panzoomLoader = null; // the next open tries again
    });
    return panzoomLoader;
  }

  // The width Graphviz gave an <svg> ("648pt"), in CSS pixels.
  function naturalWidth(svg) {
    const width = svg.getAttribute("width") ?? "";
    const number = parseFloat(width);
    if (Number.isFinite(number)) return width.endsWith("px") ? number : (number * 4) / 3;
    return svg.viewBox?.baseVal?.width ? (svg.viewBox.baseVal.width * 4) / 3 : 0;
  }

  // A box that scrolls sideways must be reachable with the keyboard (arrow keys scroll it).
  const scrollers = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth + 1) {
        target.tabIndex = 0;
        target.setAttribute("role", "group");
        target.setAttribute("aria-label", "Figure, scrolls sideways");
      } else if (target.hasAttribute("tabindex")) {
        target.removeAttribute("tabindex");
        target.removeAttribute("role");
        target.removeAttribute("aria-label");
      }
    }
  });

  function enhance(figure) {
    const scroller = figure.querySelector(".notes-figure__scroll");
    if (!scroller) return;
    scrollers.observe(scroller);
    if (figure.querySelector(":scope > .notes-figure__open")) return;
    const graph = figure.classList.contains("notes-figure--graph");
    const button = element("button", "notes-figure__open", "⤢ Full size");
    button.type = "button";
    button.setAttribute("aria-label", `Full size view of this ${graph ? "graph" : "plot"}`);
    button.setAttribute("aria-haspopup", "dialog");
    button.addEventListener("click", () => open(figure, button));
    figure.prepend(button);
  }

  // A graph drawn after load: give its wrapper the markup of a static graph.
  function adopt(wrapper) {
    if (!(wrapper instanceof Element)) return;
    if (wrapper instanceof SVGSVGElement) {
      const box = element("div");
      wrapper.replaceWith(box);
      box.append(wrapper);
      wrapper = box;
    }
    const svg = wrapper.querySelector("svg");
    if (!svg) return;
    wrapper.classList.add("notes-figure", "notes-figure--graph");
    let scroller = svg.parentElement;
    if (!scroller.classList.contains("notes-figure__scroll")) {
      scroller = element("div", "notes-figure__scroll");
      svg.replaceWith(scroller);
      scroller.append(svg);
    }
    svg.style.setProperty("--notes-figure-width", `${Math.round(naturalWidth(svg))}px`);
    enhance(wrapper);
  }

  // ---- The full-size view -----------------------------------------------------------------
  let dialog = null;

  function buildDialog() {
    const box = element("dialog", "notes-lightbox");
    box.setAttribute("aria-labelledby", "notes-lightbox-title");
    const bar = element("div", "notes-lightbox__bar");
    const title = element("h2", "notes-lightbox__title", "Figure at full size");
    title.id = "notes-lightbox-title";
    const controls = {};
    for (const [name, text] of [
      ["zoomIn", "Zoom in"],
      ["zoomOut", "Zoom out"],
      ["fit", "Fit"],
      ["actual", "Actual size"],
      ["close", "Close"],
    ]) {
      const button = element("button", `notes-lightbox__${name}`, text);
      button.type = "button";
      controls[name] = button;
    }
    const hint = element(
      "p",
      "notes-lightbox__hint",
      "Drag or use the arrow keys to move, the wheel or + and - to zoom, 0 to fit. Escape closes.",
    );
    bar.append(title, ...Object.values(controls), hint);
    const stage = element("div", "notes-lightbox__stage");
    stage.tabIndex = 0;
    stage.setAttribute("role", "group");
    stage.setAttribute("aria-label", "Figure: drag or use the arrow keys to move it");
    box.append(bar, stage);
    controls.close.addEventListener("click", () => box.close());
    return { box, title, stage, hint, controls };
  }

  async function open(figure, opener) {
    if (!dialog || !dialog.box.isConnected) {
      dialog = buildDialog();
      document.body.append(dialog.box);
    }
    const { box, title, stage, hint, controls } = dialog;
    const source = figure.querySelector(".notes-figure__scroll > img, .notes-figure__scroll > svg");
    if (!source) return;
    const graph = figure.classList.contains("notes-figure--graph");
    // The caption without its "From the notebook ..." line.
    const captionBox = figure.querySelector("figcaption")?.cloneNode(true);
    captionBox?.querySelector(".notes-figure__source")?.remove();
    const caption = captionBox?.textContent.trim();
    title.textContent = caption || (graph ? "Graph at full size" : "Plot at full size");
    box.classList.toggle("notes-figure--graph", graph);
    box.classList.toggle("notes-figure--plot", !graph);
    const copy = source.cloneNode(true);
    copy.removeAttribute("id");
    copy.style.removeProperty("--notes-figure-width");
    // Natural size: an <img> keeps its width attribute; an <svg> its width in points.
    if (copy instanceof SVGSVGElement) copy.style.width = `${naturalWidth(source)}px`;
    stage.classList.remove("notes-lightbox__stage--scroll");
    stage.replaceChildren(copy);

    const previous = document.activeElement;
    box.addEventListener(
      "close",
      () => {
        stage.replaceChildren();
        box.onkeydown = null;
        (opener.isConnected ? opener : previous)?.focus?.();
      },
      { once: true },
    );
    box.showModal();
    controls.close.focus();

    let panzoom = null;
    try {
      const Panzoom = await loadPanzoom();
      if (!box.open || !stage.contains(copy)) return;
      const options = { maxScale: 8, minScale: 0.1, step: 0.25, canvas: true, origin: "0 0" };
      options.animate = !matchMedia("(prefers-reduced-motion: reduce)").matches;
      panzoom = Panzoom(copy, options);
      stage.addEventListener("wheel", panzoom.zoomWithWheel);
      const stop = () => {
        stage.removeEventListener("wheel", panzoom.zoomWithWheel);
        panzoom.destroy();
      };
      box.addEventListener("close", stop, { once: true });
    } catch (error) {
      // Without Panzoom the figure still shows at full size, in a box that scrolls.
      stage.classList.add("notes-lightbox__stage--scroll");
      hint.textContent =
        `Zooming is not available (${error.message}); scroll to see the whole figure. ` +
        "Escape closes.";
    }
    for (const name of ["zoomIn", "zoomOut", "fit", "actual"]) controls[name].hidden = !panzoom;

    const fit = () => {
      const width = copy.getBoundingClientRect().width / panzoom.getScale();
      const height = copy.getBoundingClientRect().height / panzoom.getScale();
      const room = Math.min(stage.clientWidth / (width + 32), stage.clientHeight / (height + 32));
      const scale = Math.min(room, 2.5); // a small graph may grow, but not without end
      panzoom.zoom(scale, { animate: false });
      panzoom.pan(0, 0, { animate: false });
    };
    if (panzoom) {
      controls.zoomIn.onclick = () => panzoom.zoomIn();
      controls.zoomOut.onclick = () => panzoom.zoomOut();
      controls.fit.onclick = fit;
      controls.actual.onclick = () => panzoom.reset();
      box.onkeydown = (event) => {
        if (event.target instanceof HTMLButtonElement && ["Enter", " "].includes(event.key)) return;
        const moves = {
          ArrowLeft: [PAN_STEP, 0],
          ArrowRight: [-PAN_STEP, 0],
          ArrowUp: [0, PAN_STEP],
          ArrowDown: [0, -PAN_STEP],
        };
        if (moves[event.key]) {
          const [dx, dy] = moves[event.key];
          panzoom.pan(dx / panzoom.getScale(), dy / panzoom.getScale(), { relative: true });
        } else if (event.key === "+" || event.key === "=") panzoom.zoomIn();
        else if (event.key === "-") panzoom.zoomOut();
        else if (event.key === "0") fit();
        else return;
        event.preventDefault();
      };
    }
  }

  document.addEventListener("notes:figure", (event) => adopt(event.detail));
  document$.subscribe(() => {
    scrollers.disconnect(); // the previous page's boxes are gone
    document.querySelectorAll(".notes-figure").forEach(enhance);
  });
})();
