"""The lecture's exercise set, solved independently of the notebook that shows it.

Exercise 1 asks for the gradient of f(a, b, c) = -a**3 + sin(3*b) - 1.0/c + b**2.5 - a**0.5 at
(2, 3, 4); exercise 2 asks for the gradient of -log(softmax(logits)[3]) at logits [0, 3, -2, 1].
The expected numbers are the ones listed in the shared facts about the lecture.
"""

from __future__ import annotations

import math

import pytest

from micrograd import Value

POINT = (2.0, 3.0, 4.0)
EXPECTED_F = 6.336362190988558
EXPECTED_GRAD_F = [-12.353553390593273, 10.25699027111255, 0.0625]

LOGITS = [0.0, 3.0, -2.0, 1.0]
TARGET = 3
EXPECTED_LOSS = 2.1755
EXPECTED_GRAD_LOGITS = [
    0.041772570515350445,
    0.8390245074625319,
    0.005653302662216329,
    -0.8864503806400986,
]


def f(a: float, b: float, c: float) -> float:
    return -(a**3) + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


def grad_f(a: float, b: float, c: float) -> list[float]:
    """The partial derivatives of f, worked out by hand."""
    return [-3 * a**2 - 0.5 * a**-0.5, 3 * math.cos(3 * b) + 2.5 * b**1.5, c**-2]


def _shifted(point: tuple[float, ...], index: int, h: float) -> list[float]:
    moved = list(point)
    moved[index] += h
    return moved


def forward_difference(point: tuple[float, ...], h: float = 1e-6) -> list[float]:
    return [(f(*_shifted(point, i, h)) - f(*point)) / h for i in range(len(point))]


def symmetric_difference(point: tuple[float, ...], h: float = 1e-6) -> list[float]:
    return [
        (f(*_shifted(point, i, h)) - f(*_shifted(point, i, -h))) / (2 * h)
        for i in range(len(point))
    ]


def nll_of_softmax(logits: list[Value], target: int) -> Value:
    exps = [z.exp() for z in logits]
    total = sum(exps, Value(0.0))
    return -(exps[target] / total).log()


def test_f_at_the_exercise_point_matches_the_expected_value() -> None:
    assert math.isclose(f(*POINT), EXPECTED_F, rel_tol=1e-15)


def test_analytic_gradient_of_f_matches_the_expected_gradient() -> None:
    for got, expected in zip(grad_f(*POINT), EXPECTED_GRAD_F, strict=True):
        assert math.isclose(got, expected, rel_tol=1e-14)


def test_symmetric_differences_agree_with_the_analytic_gradient() -> None:
    for got, expected in zip(symmetric_difference(POINT), EXPECTED_GRAD_F, strict=True):
        assert abs(got - expected) < 1e-8


def test_symmetric_differences_are_more_accurate_than_forward_differences() -> None:
    forward = forward_difference(POINT)
    symmetric = symmetric_difference(POINT)
    for fw, sy, exact in zip(forward, symmetric, EXPECTED_GRAD_F, strict=True):
        assert abs(fw - exact) < 1e-5
        assert abs(sy - exact) < abs(fw - exact)


def test_softmax_loss_of_the_exercise_logits_is_about_2_1755() -> None:
    loss = nll_of_softmax([Value(z) for z in LOGITS], TARGET)
    assert math.isclose(loss.data, EXPECTED_LOSS, abs_tol=5e-5)


def test_value_backpropagates_the_expected_gradient_through_softmax() -> None:
    logits = [Value(z) for z in LOGITS]
    nll_of_softmax(logits, TARGET).backward()
    for z, expected in zip(logits, EXPECTED_GRAD_LOGITS, strict=True):
        assert abs(z.grad - expected) < 1e-12


def test_softmax_gradient_equals_probabilities_minus_one_hot() -> None:
    logits = [Value(z) for z in LOGITS]
    nll_of_softmax(logits, TARGET).backward()
    total = sum(math.exp(z) for z in LOGITS)
    closed_form = [math.exp(z) / total - (i == TARGET) for i, z in enumerate(LOGITS)]
    for z, expected in zip(logits, closed_form, strict=True):
        assert abs(z.grad - expected) < 1e-12
    assert abs(sum(z.grad for z in logits)) < 1e-12


def test_division_and_power_routes_give_the_same_softmax_gradient() -> None:
    by_division = [Value(z) for z in LOGITS]
    nll_of_softmax(by_division, TARGET).backward()
    by_power = [Value(z) for z in LOGITS]
    exps = [z.exp() for z in by_power]
    (-(exps[TARGET] * sum(exps, Value(0.0)) ** -1).log()).backward()
    for a, b in zip(by_division, by_power, strict=True):
        assert abs(a.grad - b.grad) < 1e-15


def test_pytorch_float64_agrees_with_value_on_the_softmax_gradient() -> None:
    torch = pytest.importorskip("torch")
    z = torch.tensor(LOGITS, dtype=torch.float64, requires_grad=True)
    loss = -torch.log_softmax(z, dim=0)[TARGET]
    loss.backward()
    assert math.isclose(loss.item(), EXPECTED_LOSS, abs_tol=5e-5)
    for got, expected in zip(z.grad.tolist(), EXPECTED_GRAD_LOGITS, strict=True):
        assert abs(got - expected) < 1e-12
