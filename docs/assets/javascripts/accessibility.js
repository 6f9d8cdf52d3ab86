// Small accessibility fixes to Material's markup, applied once the page is ready:
// - the search overlay is a dialog and needs a name for screen readers;
// - code annotation markers are links whose only content is a number, so give them a label.
document$.subscribe(() => {
  document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
    dialog.setAttribute("aria-label", "Search the notes");
  });
  document.querySelectorAll(".md-annotation__index").forEach((marker) => {
    const number = marker.textContent.trim() || marker.getAttribute("data-md-annotation-id");
    marker.setAttribute("aria-label", `Code annotation ${number}`);
  });
});
