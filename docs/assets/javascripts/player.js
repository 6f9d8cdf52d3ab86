// The docked lecture player: the video plays beside the notes, and the notes follow the video.
//
// - The dock is an <aside> appended to <body>, outside the part of the page that Material's
//   instant navigation swaps, so the video keeps playing from page to page. This file is
//   evaluated once per visit; per-page work runs on Material's document$.
// - Privacy: nothing is loaded from YouTube until the learner asks (the facade's button, or a
//   plain click on a ▶ link). Then the page embeds youtube-nocookie.com and controls it through
//   the embed's postMessage protocol (see "The embed's protocol" below): no YouTube script.
// - The chapters come from the JSON that hooks/player.py puts at the end of every page (from
//   docs/_data/chapters.yml, through hooks/lecture.py).
// - The position and the chapters watched to their end stay in this browser (localStorage).
(() => {
  const dataElement = document.getElementById("lecture-data");
  if (!dataElement || typeof document$ === "undefined") return;
  const { video, chapters, masterNotes } = JSON.parse(dataElement.textContent);
  // This file is assets/javascripts/player.js: the site's root is two folders up.
  const siteRoot = new URL("../../", document.currentScript.src);
  const STORE = "micrograd-notes.player";
  const NO_ANSWER_MS = 12000; // after this long without a word from the embed, say so
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

  // ---- Time and chapters -------------------------------------------------------------------
  const hms = (seconds) =>
    [seconds / 3600, (seconds % 3600) / 60, seconds % 60]
      .map((part) => String(Math.floor(part)).padStart(2, "0"))
      .join(":");
  const chapterEnd = (index) => chapters[index + 1]?.seconds ?? video.length;
  const chapterIndexAt = (seconds) => {
    let index = 0;
    chapters.forEach((chapter, i) => chapter.seconds <= seconds && (index = i));
    return index;
  };
  const label = (chapter) => `${chapter.number} · ${chapter.timestamp} ${chapter.title}`;
  const pagePath = (url) => new URL(url, siteRoot).pathname.replace(/index\.html$/, "");
  const watchUrl = (seconds) => `${video.watch}&t=${Math.floor(seconds)}s`;

  // A link to a moment of this lecture on YouTube: the second it starts at, else null.
  function linkSeconds(link) {
    let url;
    try {
      url = new URL(link.href);
    } catch {
      return null;
    }
    const isWatch = /(^|\.)youtube\.com$/.test(url.hostname) && url.pathname === "/watch";
    const id = isWatch ? url.searchParams.get("v") : url.hostname === "youtu.be" && url.pathname.slice(1);
    if (id !== video.id) return null;
    const [, h = 0, m = 0, s = 0] = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(url.searchParams.get("t") || "") || [];
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  }

  // ---- What the browser remembers ----------------------------------------------------------
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(STORE)) || {};
  } catch {
    saved = {};
  }
  saved.watched = Array.isArray(saved.watched) ? saved.watched : [];
  const remember = () => {
    try {
      localStorage.setItem(STORE, JSON.stringify(saved));
    } catch {
      // Storage can be full or switched off; the player works without it.
    }
  };

  // ---- The embed's protocol ----------------------------------------------------------------
  // What YouTube's IFrame API script would do for us, in the few messages we need. Messages are
  // JSON strings. We say "listening" (repeated until the embed answers, since it may not be
  // loaded yet); the embed then posts "onReady" and "infoDelivery" ({currentTime, playerState}),
  // and obeys {"event": "command", "func": "seekTo" | "playVideo" | "pauseVideo", "args": [...]}.
  function embed(start, { ready, info, failed }) {
    const frame = document.createElement("iframe");
    const query = new URLSearchParams({
      enablejsapi: "1",
      origin: location.origin,
      start: String(Math.floor(start)),
      autoplay: "1",
      playsinline: "1",
      rel: "0",
    });
    frame.src = `${video.embed}?${query}`;
    frame.className = "player__frame";
    frame.title = `Video: ${video.title}`;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    const send = (message) =>
      frame.contentWindow?.postMessage(
        JSON.stringify({ ...message, id: 1, channel: "widget" }),
        video.origin,
      );
    const listen = () => send({ event: "listening" });
    const poke = setInterval(listen, 400);
    frame.addEventListener("load", listen);
    function receive(event) {
      if (event.source !== frame.contentWindow || event.origin !== video.origin) return;
      let message;
      try {
        message = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
      } catch {
        return;
      }
      if (!message || typeof message !== "object") return;
      if (message.event === "onReady") {
        clearInterval(poke);
        send({ event: "command", func: "addEventListener", args: ["onError"] });
        ready();
      } else if (message.event === "infoDelivery" || message.event === "initialDelivery") {
        info(message.info || {});
      } else if (message.event === "onStateChange") {
        info({ playerState: message.info });
      } else if (message.event === "onError") {
        failed(`YouTube reported error ${message.info}`);
      }
    }
    addEventListener("message", receive);
    return {
      frame,
      command: (func, args = []) => send({ event: "command", func, args }),
      destroy() {
        clearInterval(poke);
        removeEventListener("message", receive);
        frame.remove();
      },
    };
  }

  // ---- The dock ----------------------------------------------------------------------------
  const icon = (path) =>
    `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${path}"/></svg>`;
  const dock = document.createElement("aside");
  dock.className = "player";
  dock.id = "lecture-player";
  dock.setAttribute("aria-label", "Lecture video");
  dock.hidden = true;
  dock.innerHTML = `
    <div class="player__bar">
      <span class="player__kind" aria-hidden="true">Lecture video</span>
      <p class="player__now"></p>
      <button type="button" class="player__icon" data-do="collapse" aria-expanded="true"
        aria-controls="lecture-player-body" aria-label="Collapse the player">${icon("M6 9l6 6 6-6")}</button>
      <button type="button" class="player__icon" data-do="size" aria-pressed="false"
        aria-label="Larger player">${icon("M4 10V4h6M4 4l6 6M20 14v6h-6M20 20l-6-6")}</button>
      <button type="button" class="player__icon" data-do="close"
        aria-label="Close the player">${icon("M6 6l12 12M18 6L6 18")}</button>
    </div>
    <div class="player__body" id="lecture-player-body">
      <div class="player__screen">
        <button type="button" class="player__facade" data-do="play">
          <img src="${new URL("assets/images/lecture-poster.svg", siteRoot)}" alt="" width="320" height="180">
          <span class="player__start"></span>
        </button>
      </div>
      <div class="player__side">
        <p class="player__message" role="alert" hidden></p>
        <p class="player__notice">Playing loads the video from YouTube (youtube-nocookie.com).</p>
        <div class="player__controls" hidden>
          <button type="button" class="player__icon" data-do="previous">${icon("M18 6l-8 6 8 6zM6 6v12")}</button>
          <button type="button" class="player__icon" data-do="next">${icon("M6 6l8 6-8 6zM18 6v12")}</button>
          <button type="button" class="player__switch" data-do="follow" role="switch"
            aria-checked="true">Follow</button>
          <a class="player__link" data-link="topic" href="${new URL(masterNotes, siteRoot)}">Notes</a>
          <a class="player__link" data-link="notebook" href="${new URL(masterNotes, siteRoot)}">Notebook</a>
        </div>
        <p class="player__progress">
          <button type="button" class="player__text" data-do="beginning" hidden>Play from the start</button>
          <button type="button" class="player__text" data-do="reset">Reset progress</button>
        </p>
      </div>
    </div>
    <p class="player__status" aria-live="polite"></p>`;
  const part = (selector) => dock.querySelector(selector);
  const button = (name) => part(`[data-do="${name}"]`);

  const state = {
    player: null, // the embed, once the learner asked for the video
    ready: false,
    seekOnReady: null,
    time: 0,
    chapter: -1,
    follow: true,
    noAnswer: 0,
  };

  function announce(text) {
    part(".player__status").textContent = text;
  }

  // Room for the dock: on wide screens the table of contents starts below it, on narrow ones
  // the page leaves room for it at the bottom. Set as plain inline styles on those two elements
  // (a custom property on the root would restyle every element of the page at each change).
  const narrow = matchMedia("screen and (max-width: 76.234375em)");
  let decided = false; // whether the page has said if the dock shows (show(), on document$)
  function makeRoom() {
    // The dock is appended hidden, and the resize observer can report it before the page has
    // decided to show it (a slow script after this one delays that): revealing the contents
    // then would let them jump down under the dock a moment later.
    if (!decided) return;
    const height = dock.hidden ? 0 : dock.offsetHeight;
    const wrap = document.querySelector(".md-sidebar--secondary .md-sidebar__scrollwrap");
    const beside = height > 0 && !narrow.matches;
    document.body.style.paddingBottom = height > 0 && narrow.matches ? `${height}px` : "";
    if (wrap) {
      wrap.style.marginTop = beside ? `${height + 8}px` : "";
      wrap.style.maxHeight = beside ? `calc(100vh - 6.4rem - ${height}px)` : "";
    }
    document.documentElement.classList.add("player-placed"); // shows the contents (player.css)
  }
  new ResizeObserver(makeRoom).observe(dock);
  narrow.addEventListener("change", makeRoom);

  function show(open) {
    decided = true;
    dock.hidden = !open;
    document.documentElement.classList.toggle("player-open", open);
    makeRoom();
  }

  function renderIdle() {
    const resume = saved.position > 5 && saved.position < video.length - 5;
    part(".player__start").textContent = resume ? `▶ Resume at ${hms(saved.position)}` : "▶ Play the lecture";
    button("play").setAttribute(
      "aria-label",
      resume ? `Resume the lecture at ${hms(saved.position)}` : "Play the lecture here",
    );
    button("beginning").hidden = !resume;
    button("reset").hidden = !(saved.position || saved.watched.length);
    part(".player__now").textContent = "Watch the lecture beside the notes";
  }

  function renderChapter() {
    const index = state.chapter;
    const chapter = chapters[index];
    part(".player__now").textContent = label(chapter);
    for (const [name, other] of [["previous", chapters[index - 1]], ["next", chapters[index + 1]]]) {
      const control = button(name);
      control.disabled = !other;
      control.setAttribute("aria-label", other ? `${name === "next" ? "Next" : "Previous"} chapter: ${label(other)}` : `No ${name} chapter`);
    }
    const topic = part('[data-link="topic"]');
    topic.href = new URL(chapter.topic, siteRoot).href;
    topic.setAttribute("aria-label", `Notes on chapter ${chapter.number}`);
    const notebook = part('[data-link="notebook"]');
    notebook.hidden = !chapter.notebook;
    if (chapter.notebook) {
      notebook.href = new URL(chapter.notebook, siteRoot).href;
      notebook.setAttribute("aria-label", `Notebook of chapter ${chapter.number}`);
    }
  }

  // ---- Playing -----------------------------------------------------------------------------
  function play(seconds) {
    saved.closed = false;
    remember();
    setCollapsed(false);
    show(true);
    if (!state.player) return start(seconds);
    state.time = seconds;
    if (state.ready) {
      state.player.command("seekTo", [seconds, true]);
      state.player.command("playVideo");
    } else {
      state.seekOnReady = seconds;
    }
    progress(seconds, true);
  }

  function start(seconds) {
    state.ready = false;
    state.seekOnReady = seconds;
    state.player = embed(seconds, {
      ready() {
        state.ready = true;
        part(".player__message").hidden = true;
        if (state.seekOnReady !== null) {
          state.player.command("seekTo", [state.seekOnReady, true]);
          state.seekOnReady = null;
        }
        state.player.command("playVideo");
      },
      info(info) {
        if (typeof info.currentTime === "number") progress(info.currentTime, false);
        if (info.playerState === 0) markWatched(chapters.length - 1); // ended
      },
      failed: unreachable,
    });
    button("play").hidden = true;
    part(".player__screen").prepend(state.player.frame);
    part(".player__notice").hidden = true;
    part(".player__controls").hidden = false;
    button("beginning").hidden = true;
    button("reset").hidden = false;
    clearTimeout(state.noAnswer);
    state.noAnswer = setTimeout(() => state.ready || unreachable("YouTube did not answer"), NO_ANSWER_MS);
    progress(seconds, true);
  }

  function unreachable(reason) {
    const message = part(".player__message");
    message.hidden = false;
    message.innerHTML = `${reason}, so the video cannot play here. <a data-player-own
      href="${watchUrl(state.time)}">Open it on YouTube at ${hms(state.time)}</a>`;
  }

  function stop() {
    clearTimeout(state.noAnswer);
    state.player?.destroy();
    state.player = null;
    state.ready = false;
    state.chapter = -1;
    part(".player__message").hidden = true;
    button("play").hidden = false;
    part(".player__notice").hidden = false;
    part(".player__controls").hidden = true;
    markCurrent();
    renderIdle();
  }

  // A new position of the video: remember it, tick chapters played to their end, follow.
  function progress(seconds, jumped) {
    const before = state.time;
    state.time = seconds;
    if (!jumped && seconds > before && seconds - before < 5) {
      chapters.forEach((_, i) => before < chapterEnd(i) && seconds >= chapterEnd(i) && markWatched(i));
    }
    if (Math.floor(seconds) !== saved.position) {
      saved.position = Math.floor(seconds);
      remember();
    }
    const index = chapterIndexAt(seconds);
    if (index !== state.chapter) {
      state.chapter = index;
      renderChapter();
      markCurrent();
      if (state.follow) followCurrent();
    }
  }

  function markWatched(index) {
    const number = chapters[index].number;
    if (saved.watched.includes(number)) return;
    saved.watched.push(number);
    remember();
    applyTicks();
    announce(`Chapter ${number} watched to its end`);
  }

  // ---- The notes follow the video ----------------------------------------------------------
  // The elements of this page that stand for a chapter: its section in the Master Notes, and
  // on its topic page the heading it links to (the page's title when it links to the top).
  function sectionsOf(index) {
    const chapter = chapters[index];
    const here = pagePath(location.href);
    const found = [];
    const article = document.querySelector(".md-content article") || document.body;
    if (here === pagePath(masterNotes)) {
      const heading = document.getElementById(`chapter-${chapter.number}`);
      if (heading) found.push(heading);
    }
    if (here === pagePath(chapter.topic)) {
      const anchor = new URL(chapter.topic, siteRoot).hash.slice(1);
      const heading = anchor ? document.getElementById(decodeURIComponent(anchor)) : article.querySelector("h1");
      if (heading) found.push(heading);
    }
    return found;
  }

  function markCurrent() {
    document.querySelectorAll('[data-player-current]').forEach((element) => {
      element.removeAttribute("aria-current");
      element.removeAttribute("data-player-current");
    });
    if (!state.player || state.chapter < 0) return;
    for (const element of sectionsOf(state.chapter)) {
      element.setAttribute("aria-current", "true");
      element.setAttribute("data-player-current", "");
    }
  }

  // Whether a smooth scroll of ours is under way: Chromium lets it run on over the learner's
  // own wheel or touch scroll, so scrolledByHand stops it where it is.
  let following = false;
  addEventListener("scrollend", () => (following = false));

  function followCurrent() {
    const [target] = sectionsOf(state.chapter);
    if (!target) return;
    // Just below Material's sticky header, which would cover a heading scrolled to the top.
    const header = document.querySelector(".md-header")?.offsetHeight ?? 0;
    const top = target.getBoundingClientRect().top + scrollY - header - 16;
    following = !reducedMotion.matches;
    scrollTo({ top, behavior: following ? "smooth" : "auto" });
  }

  function setFollow(on) {
    state.follow = on;
    button("follow").setAttribute("aria-checked", String(on));
    if (on && state.player) followCurrent();
  }

  // Scrolling by hand (wheel, touch, scrolling keys outside the dock) pauses following.
  const SCROLL_KEYS = new Set(["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End", " "]);
  function scrolledByHand(event) {
    if (!state.follow || !state.player || dock.contains(event.target)) return;
    if (event.type === "keydown") {
      const typing = event.target.closest?.("input, textarea, select, button, a, [contenteditable], .cm-editor");
      if (!SCROLL_KEYS.has(event.key) || typing) return;
    }
    setFollow(false);
    if (following) scrollTo({ top: scrollY, behavior: "instant" });
    following = false;
    announce("Following paused because you scrolled; turn Follow on to keep the chapter in view");
  }
  for (const type of ["wheel", "touchmove", "keydown"]) {
    addEventListener(type, scrolledByHand, { passive: true, capture: true });
  }

  // ---- Progress ticks ----------------------------------------------------------------------
  function setTick(element, watched) {
    const tick = element.querySelector(":scope > .player-tick");
    if (watched && !tick) {
      const mark = document.createElement("span");
      mark.className = "player-tick";
      mark.innerHTML = '<span aria-hidden="true">✓</span><span class="player-hidden"> (watched)</span>';
      const permalink = element.querySelector(":scope > .headerlink");
      element.insertBefore(mark, permalink);
    } else if (!watched && tick) {
      tick.remove();
    }
  }

  function applyTicks() {
    const watched = new Set(saved.watched);
    const pages = new Map(); // page path -> are all of its chapters watched?
    for (const chapter of chapters) {
      const done = watched.has(chapter.number);
      const topic = pagePath(chapter.topic);
      pages.set(topic, (pages.get(topic) ?? true) && done);
      if (chapter.notebook) pages.set(pagePath(chapter.notebook), done);
    }
    if (pagePath(location.href) === pagePath(masterNotes)) {
      for (const chapter of chapters) {
        const heading = document.getElementById(`chapter-${chapter.number}`);
        if (heading) setTick(heading, watched.has(chapter.number));
        // Material makes every link absolute; the contents' links end in the heading's id.
        document.querySelectorAll(`.md-nav--secondary a[href$="#chapter-${chapter.number}"]`)
          .forEach((link) => setTick(link, watched.has(chapter.number)));
      }
    }
    document.querySelectorAll(".md-nav--primary a.md-nav__link[href]").forEach((link) => {
      if (new URL(link.href).hash) return; // a page's contents, done above
      setTick(link, pages.get(pagePath(link.href)) === true);
    });
  }

  // ---- Window buttons ----------------------------------------------------------------------
  function setCollapsed(collapsed) {
    dock.classList.toggle("player--collapsed", collapsed);
    const control = button("collapse");
    control.setAttribute("aria-expanded", String(!collapsed));
    control.setAttribute("aria-label", collapsed ? "Expand the player" : "Collapse the player");
  }

  const actions = {
    play() {
      const fromKeyboard = document.activeElement === button("play");
      play(saved.position > 5 && saved.position < video.length - 5 ? saved.position : 0);
      if (fromKeyboard) state.player.frame.focus(); // the facade is gone: focus the video
    },
    beginning: () => play(0),
    collapse: () => setCollapsed(!dock.classList.contains("player--collapsed")),
    size() {
      const large = dock.classList.toggle("player--large");
      button("size").setAttribute("aria-pressed", String(large));
    },
    close() {
      stop();
      saved.closed = true;
      remember();
      show(false);
    },
    previous: () => play(chapters[state.chapter - 1].seconds),
    next: () => play(chapters[state.chapter + 1].seconds),
    follow: () => setFollow(!state.follow),
    reset() {
      saved = { watched: [] };
      remember();
      applyTicks();
      if (!state.player) renderIdle();
      announce("Progress reset: no position and no chapter ticks are kept");
    },
  };
  dock.addEventListener("click", (event) => {
    const control = event.target.closest("[data-do]");
    if (control) actions[control.dataset.do]();
  });

  // A plain click on a ▶ link plays here; a modified click (new tab, window) is left alone.
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest?.("a[href]");
    if (!link || link.hasAttribute("data-player-own")) return;
    const seconds = linkSeconds(link);
    if (seconds === null) return;
    event.preventDefault();
    play(seconds);
  });

  // Leaving the page or the tab: make sure the last position is kept.
  addEventListener("pagehide", remember);

  renderIdle();
  document.body.append(dock);

  // ---- Each page (instant navigation included) ---------------------------------------------
  document$.subscribe(() => {
    const hasLinks = [...document.querySelectorAll(".md-content a[href]")].some(
      (link) => linkSeconds(link) !== null,
    );
    show(Boolean(state.player) || (hasLinks && !saved.closed));
    applyTicks();
    markCurrent();
    if (state.player && state.follow && !location.hash) followCurrent();
  });
})();
