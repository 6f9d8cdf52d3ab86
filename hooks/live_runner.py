"""Runs the code of a live block in the browser (inside Pyodide) and reports what happened.

`hooks/live.py` ships this file beside the engine in `assets/live/micrograd.zip`; the page calls
`run(source)` and gets back JSON with what the code printed, the value of its last expression
(as the graph's DOT source when it is a Graphviz graph, so the page can draw it) and the error as a
Python traceback. Plain CPython runs it too, which is how the tests check it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import traceback

FILENAME = "<live>"


def _split_last_expression(source: str) -> tuple[ast.Module, ast.Expression | None]:
    """The program without its last statement if that is an expression, and that expression."""
    tree = ast.parse(source, filename=FILENAME)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
        return tree, last
    return tree, None


def _describe(value: object) -> dict[str, str]:
    # A graphviz graph (what draw_dot returns) is sent as DOT source, drawn by the page; anything
    # else as its repr, like the last line of a notebook cell.
    source = getattr(value, "source", None)
    if isinstance(source, str) and type(value).__module__.startswith(("graphviz", "micrograd")):
        return {"dot": source}
    return {"value": repr(value)}


def _traceback_of_user_code(error: BaseException) -> str:
    """The traceback from the first frame of the user's code on: the runner's frames are noise."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def run(source: str) -> str:
    """Run `source` in a fresh namespace; return JSON: stdout, and value, dot or error."""
    output = io.StringIO()
    result: dict[str, str] = {}
    namespace = {"__name__": "__main__"}
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            body, last = _split_last_expression(source)
            exec(compile(body, FILENAME, "exec"), namespace)  # noqa: S102 - running it is the point
            if last is not None:
                value = eval(compile(last, FILENAME, "eval"), namespace)  # noqa: S307
                if value is not None:
                    result = _describe(value)
    except SyntaxError as error:
        result = {"error": "".join(traceback.format_exception_only(type(error), error))}
    except BaseException as error:  # noqa: BLE001 - every error is reported to the reader
        result = {"error": _traceback_of_user_code(error)}
    return json.dumps({"stdout": output.getvalue(), **result})
