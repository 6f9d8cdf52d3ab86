"""micrograd.check: a learner's own Value class checked against this engine.

The classes under test are in tests/learner_engines.py: a correct lecture-style class, one
variant per classic slip, classes from earlier chapters, and classes that cannot work.
"""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path

import learner_engines as learner
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Value
from micrograd.check import CHAPTERS, CheckReport, Problem, check

ROOT = Path(__file__).resolve().parent.parent


def test_a_correct_lecture_style_class_passes_with_no_problems() -> None:
    report = check(learner.Value)
    assert report.ok, str(report)
    assert report.problems == []
    assert report.checked == ["+", "*", "tanh", "exp", "**", "-", "/", "numbers", "backward"]
    # relu is not in the lecture's class: it is listed with the chapter that shows it.
    assert report.skipped == [("relu", 19)]


def test_this_packages_own_value_passes() -> None:
    report = check(Value)
    assert report.ok, str(report)
    assert set(report.checked) >= {"+", "*", "tanh", "exp", "**", "-", "/", "relu", "backward"}
    assert report.skipped == []


@pytest.mark.parametrize(
    ("slip_class", "op", "slip"),
    [(cls, op, slip) for cls, (op, slip) in learner.SLIPS.items()],
    ids=[cls.__name__ for cls in learner.SLIPS],
)
def test_each_classic_slip_fails_naming_the_operation_at_fault(
    slip_class: type, op: str, slip: str
) -> None:
    report = check(slip_class)
    assert not report.ok
    assert [(p.op, p.slip) for p in report.problems] == [(op, slip)], str(report)


def test_the_tanh_slip_says_how_to_fix_it() -> None:
    (problem,) = check(learner.TanhPrecedence).problems
    assert problem.message.startswith(
        "the gradient of tanh is wrong when the upstream gradient is not 1: "
        "write `(1 - t**2) * out.grad`"
    )
    # ... and shows the numbers that give it away.
    assert "out.grad = " in problem.message and "a.grad should be " in problem.message


def test_overwriting_in_exp_is_found_as_the_video_writes_it() -> None:
    (problem,) = check(learner.OverwriteInExp).problems
    assert "`self.grad += out.data * out.grad`" in problem.message
    assert "the video writes `=` here" in problem.message


def test_a_slip_in_backward_leaves_the_operations_checked() -> None:
    report = check(learner.UnreversedOrder)
    assert "backward" not in report.checked
    assert {"+", "*", "tanh", "exp"} <= set(report.checked)
    assert "reversed(topo)" in report.problems[0].message


def test_operations_built_from_a_wrong_one_wait_for_it() -> None:
    report = check(learner.SwappedFactors)
    assert [p.op for p in report.problems] == ["*"]
    assert any("a / b" in note and "from *" in note for note in report.notes)
    assert "/" not in report.checked and "tanh" in report.checked


def test_a_class_without_closures_is_checked_through_backward() -> None:
    assert check(learner.NumbersValue).ok
    report = check(learner.NumbersValueUnreversed)
    assert [(p.op, p.slip) for p in report.problems] == [("backward", "unreversed-order")]
    # The other gradients travel through backward(), so they are left unchecked, and said so.
    assert "tanh" not in report.checked
    assert any("a.tanh()" in note and "not checked" in note for note in report.notes)


def test_chapter_5_class_passes_and_lists_what_later_chapters_add() -> None:
    report = check(learner.ValueOfChapter5)
    assert report.ok
    assert report.checked == ["+", "*"]
    chapters = dict(report.skipped)
    assert chapters[".grad"] == 6
    assert chapters["tanh"] == 8
    assert chapters["_backward of each operation"] == 9
    assert chapters["backward()"] == 10
    assert chapters["exp"] == chapters["**"] == chapters["/"] == 12
    text = " ".join(str(report).split())  # the summary wraps its lines
    assert 'chapter 10, "implementing the backward function for a whole expression graph"' in text
    assert "(01:17:32)" in text


def test_chapter_9_class_has_its_closures_checked_without_backward() -> None:
    report = check(learner.ValueOfChapter9)
    assert report.ok
    assert report.checked == ["+", "*", "tanh"]
    assert ("backward()", 10) in report.skipped
    assert any("_backward" in note for note in report.notes)


@pytest.mark.parametrize(
    ("broken", "op", "words"),
    [
        (learner.RaisesInInit, "Value", "RaisesInInit(2.0) raised RuntimeError: not today"),
        (learner.NoData, "Value", "keep its number in `self.data`"),
        (learner.ForgotReturn, "+", "returned None: the method has to end with `return out`"),
        (learner.ReturnsNumber, "*", "returned the plain number"),
        (learner.GradIsValue, "*", "a.grad became a GradIsValue, not a number"),
        (learner.RaisesInBackward, "tanh", "raised NameError: name 'tt' is not defined"),
    ],
    ids=lambda x: x.__name__ if isinstance(x, type) else "",
)
def test_a_class_that_cannot_work_gets_a_clear_message_not_a_traceback(
    broken: type, op: str, words: str
) -> None:
    report = check(broken)
    assert not report.ok
    assert report.problems[0].op == op
    assert words in report.problems[0].message
    assert "Traceback" not in str(report)


def test_the_message_of_an_error_points_at_the_learners_code() -> None:
    (problem,) = check(learner.RaisesInBackward).problems
    assert "(in _backward, line " in problem.message


def test_a_missing_number_wrapper_is_not_written_yet_not_wrong() -> None:
    report = check(learner.ValueOfChapter9)
    assert "numbers (a + k, a * k, k * a)" in dict(report.skipped)


@pytest.mark.parametrize(
    "cls",
    [learner.Value, Value, *learner.SLIPS, learner.ValueOfChapter5, learner.RaisesInBackward],
    ids=lambda cls: cls.__name__,
)
def test_check_never_modifies_the_class(cls: type) -> None:
    before = {name: cls.__dict__[name] for name in cls.__dict__}
    check(cls)
    after = {name: cls.__dict__[name] for name in cls.__dict__}
    assert after.keys() == before.keys()
    assert all(after[name] is before[name] for name in before)


def test_what_the_learners_methods_print_is_not_shown() -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        report = check(learner.Chatty)
    assert report.ok
    assert output.getvalue() == ""


def test_check_takes_the_class_not_an_instance() -> None:
    with pytest.raises(TypeError, match=r"takes your class itself, as in check\(Value\)"):
        check(Value(2.0))


def test_the_same_seed_gives_the_same_report() -> None:
    assert str(check(learner.TanhPrecedence, seed=3)) == str(check(learner.TanhPrecedence, seed=3))
    assert str(check(learner.TanhPrecedence, seed=3)) != str(check(learner.TanhPrecedence, seed=4))


def test_the_report_reads_as_a_summary() -> None:
    text = str(check(learner.TanhPrecedence))
    lines = text.splitlines()
    assert lines[0] == "check(TanhPrecedence): 1 problem."
    assert lines[2].startswith("  tanh: the gradient of tanh is wrong")
    assert "Checked: +, *, exp, **, -, /, numbers, backward" in text
    assert "Not written yet, so not checked:" in text
    assert all(len(line) <= 76 for line in lines)  # fits a live block on a laptop
    assert str(check(learner.Value)).startswith("check(Value): everything checked is correct.")


def test_jupyter_shows_the_summary_for_a_report_on_the_last_line() -> None:
    report = check(learner.Value)

    class Printer:
        def __init__(self) -> None:
            self.shown = ""

        def text(self, text: str) -> None:
            self.shown += text

    printer = Printer()
    report._repr_pretty_(printer, cycle=False)
    assert printer.shown == str(report)


def test_report_and_problem_are_plain_data() -> None:
    problem = Problem("tanh", "wrong", "tanh-precedence")
    report = CheckReport("V", problems=[problem])
    assert not report.ok and report.problems[0].op == "tanh"
    assert CheckReport("V").ok


def test_the_chapters_named_by_check_agree_with_the_chapter_list() -> None:
    data = yaml.safe_load((ROOT / "docs" / "_data" / "chapters.yml").read_text(encoding="utf-8"))
    chapters = {c["number"]: (c["title"], c["seconds"]) for c in data["chapters"]}
    for number, (title, seconds) in CHAPTERS.items():
        assert chapters[number] == (title, seconds), number


# -- random graphs over the learner's class agree with micrograd ------------------------------

# Operations a lecture-style class has by chapter 12, composed so that they stay in their domain.
STEPS = {
    "add": (2, lambda a, b: a + b),
    "mul": (2, lambda a, b: a * b),
    "sub": (2, lambda a, b: a - b),
    "div": (2, lambda a, b: a / (b * b + 1)),
    "tanh": (1, lambda a: a.tanh()),
    "exp": (1, lambda a: a.tanh().exp()),
    "square": (1, lambda a: a**2),
    "neg": (1, lambda a: -a),
    "plus_number": (1, lambda a: a + 1.5),
    "number_times": (1, lambda a: 0.5 * a),
}


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[tuple[str, tuple[int, ...]]]]:
    leaves = draw(st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=1, max_size=4))
    steps = []
    for k in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(sorted(STEPS)))
        operands = tuple(draw(st.integers(0, len(leaves) + k - 1)) for _ in range(STEPS[name][0]))
        steps.append((name, operands))
    return leaves, steps


def gradients(cls: type, program: tuple[list[float], list]) -> tuple[float, list[float]]:
    leaves_data, steps = program
    leaves = [cls(x) for x in leaves_data]
    nodes = list(leaves)
    for name, operands in steps:
        nodes.append(STEPS[name][1](*(nodes[i] for i in operands)))
    out = nodes[-1]
    for node in nodes[:-1]:
        out = out + node  # every node counts, so values are reused
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(programs())
def test_random_graphs_over_the_correct_learner_class_agree_with_micrograd(program) -> None:
    ours_value, ours = gradients(Value, program)
    theirs_value, theirs = gradients(learner.Value, program)
    assert math.isclose(theirs_value, ours_value, rel_tol=1e-9, abs_tol=1e-12)
    for mine, learners in zip(ours, theirs, strict=True):
        assert math.isclose(learners, mine, rel_tol=1e-9, abs_tol=1e-9)
