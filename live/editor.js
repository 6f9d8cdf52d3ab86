// The code editor of a live block: CodeMirror 6 with Python highlighting, line numbers and
// bracket matching, coloured with the theme's own code colours (so light and dark both work).
//
// Tab indents. Escape then Tab leaves the editor (CodeMirror's built-in escape hatch: after
// Escape the next Tab is not handled), so a keyboard user is never trapped in it.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

// Material's code-highlighting colours, defined for both colour schemes.
const hl = (name) => `var(--md-code-hl-${name}-color)`;
const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword], color: hl("keyword") },
  { tag: [tags.string, tags.special(tags.string)], color: hl("string") },
  { tag: [tags.number, tags.bool, tags.null], color: hl("number") },
  { tag: tags.comment, color: hl("comment"), fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: hl("function") },
  { tag: [tags.className, tags.definition(tags.className)], color: hl("constant") },
  { tag: [tags.operator, tags.derefOperator], color: hl("operator") },
  { tag: [tags.punctuation, tags.bracket], color: hl("punctuation") },
  { tag: tags.self, color: hl("special") },
]);

const theme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.85em",
  },
  ".cm-scroller": { fontFamily: "var(--md-code-font-family)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--md-code-fg-color)", padding: "0.6em 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  "&.cm-focused": { outline: "2px solid var(--md-accent-fg-color)" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    // Material's lighter grey is 4.47:1 on the code background: a little short of AA.
    color: "color-mix(in srgb, var(--md-code-fg-color) 85%, var(--md-code-bg-color))",
    border: "none",
  },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
  },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "var(--md-accent-fg-color--transparent)",
    outline: "1px solid var(--md-accent-fg-color)",
  },
});

// An editor holding `code` inside `parent`; `onRun` is called by Ctrl/Cmd+Enter.
export function createEditor(parent, code, { onRun, onFocus, label }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: code,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        python(),
        syntaxHighlighting(highlightStyle),
        theme,
        EditorView.lineWrapping, // no sideways scrolling, on a phone either
        EditorState.tabSize.of(4),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (onRun(), true) }])),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.domEventHandlers({ focus: () => onFocus() }),
      ],
    }),
  });
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    set code(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
