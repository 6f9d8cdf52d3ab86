"""The engine: every operation against PyTorch, the lecture's numbers, errors, deep graphs."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import MLP, Value

TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


# -- every operation, value and gradient, against PyTorch in float64 ------------------------------

# Each case is written once and run on both engines: Value and torch.Tensor share the operators
# and the method names tanh, exp, log, relu and sigmoid.
OPERATIONS = {
    "add": (lambda a, b: a + b, 1.5, -0.75),
    "sub": (lambda a, b: a - b, 1.5, -0.75),
    "mul": (lambda a, b: a * b, 1.5, -0.75),
    "div": (lambda a, b: a / b, 1.5, -0.75),
    "pow_int": (lambda a, b: a**3, -1.5, 0.0),
    "pow_negative": (lambda a, b: a**-2, 1.5, 0.0),
    "pow_fraction": (lambda a, b: a**0.5, 2.25, 0.0),
    "pow_float": (lambda a, b: a**2.5, 1.3, 0.0),
    "neg": (lambda a, b: -a, 1.5, 0.0),
    "number_plus_value": (lambda a, b: 1 + a, 1.5, 0.0),
    "value_plus_number": (lambda a, b: a + 1, 1.5, 0.0),
    "number_times_value": (lambda a, b: 2 * a, 1.5, 0.0),
    "value_times_number": (lambda a, b: a * 2.5, 1.5, 0.0),
    "number_minus_value": (lambda a, b: 1 - a, 1.5, 0.0),
    "value_minus_number": (lambda a, b: a - 1, 1.5, 0.0),
    "number_over_value": (lambda a, b: 2 / a, 1.5, 0.0),
    "value_over_number": (lambda a, b: a / 4, 1.5, 0.0),
    "tanh": (lambda a, b: a.tanh(), 0.8, 0.0),
    "tanh_negative": (lambda a, b: a.tanh(), -2.1, 0.0),
    "exp": (lambda a, b: a.exp(), 0.8, 0.0),
    "log": (lambda a, b: a.log(), 0.8, 0.0),
    "relu_positive": (lambda a, b: a.relu(), 0.8, 0.0),
    "relu_negative": (lambda a, b: a.relu(), -0.8, 0.0),
    "sigmoid": (lambda a, b: a.sigmoid(), 0.8, 0.0),
    "sigmoid_negative": (lambda a, b: a.sigmoid(), -3.2, 0.0),
    "same_value_twice": (lambda a, b: a * a + a, 1.5, 0.0),
    "expression": (lambda a, b: ((a * b).tanh() + (b - a) ** 2) / (1 + a.exp()), 0.6, -1.1),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_value_and_gradients_match_pytorch(torch, name: str) -> None:
    function, a_data, b_data = OPERATIONS[name]
    a, b = Value(a_data), Value(b_data)
    out = function(a, b)
    out.backward()

    ta = torch.tensor(a_data, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b_data, dtype=torch.float64, requires_grad=True)
    tout = function(ta, tb)
    tout.backward()

    assert close(out.data, tout.item())
    assert close(a.grad, ta.grad.item() if ta.grad is not None else 0.0)
    assert close(b.grad, tb.grad.item() if tb.grad is not None else 0.0)


def test_tanh_gradient_is_scaled_by_the_gradient_arriving_from_above(torch) -> None:
    # out = 3 * tanh(n) sends 3 into tanh's backward: the right rule gives (1 - t**2) * 3, the
    # precedence slip `1 - t**2 * out.grad` gives 1 - 3 * t**2 and fails here.
    x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.8813735870195432)
    out = 3 * (x1 * w1 + x2 * w2 + b).tanh()
    out.backward()

    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in
               (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)]  # fmt: skip
    t1, t2, tw1, tw2, tb = tensors
    tout = 3 * (t1 * tw1 + t2 * tw2 + tb).tanh()
    tout.backward()

    assert close(out.data, tout.item())
    for value, tensor in zip((x1, x2, w1, w2, b), tensors, strict=True):
        assert close(value.grad, tensor.grad.item())
    assert close(w1.grad, 3.0)  # (1 - 0.5) * 3 * x1, not (1 - 3 * 0.5) * x1 = -1


# -- the lecture's numbers ------------------------------------------------------------------------


def test_lecture_expression_gives_its_value_and_gradients() -> None:
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert L.data == -8.0
    assert (a.grad, b.grad, c.grad, f.grad, d.grad, e.grad) == (6.0, -4.0, -2.0, 4.0, -2.0, -2.0)
    assert L.grad == 1.0


def test_lecture_neuron_gives_its_output_and_gradients() -> None:
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-15)
    assert n.grad == pytest.approx(0.5, abs=1e-15)
    assert x1.grad == pytest.approx(-1.5, abs=1e-15)
    assert w1.grad == pytest.approx(1.0, abs=1e-15)
    assert x2.grad == pytest.approx(0.5, abs=1e-15)
    assert w2.grad == 0.0


def test_lecture_neuron_with_exp_gives_the_same_gradients_as_tanh() -> None:
    # The lecture's second version: tanh written out as (e**2n - 1) / (e**2n + 1).
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-12)
    assert (x1.grad, w1.grad, x2.grad, w2.grad) == pytest.approx((-1.5, 1.0, 0.5, 0.0), abs=1e-12)


def test_value_added_to_itself_gets_gradient_two() -> None:
    a = Value(3.0)
    b = a + a
    b.backward()
    assert b.data == 6.0
    assert a.grad == 2.0


def test_values_used_twice_accumulate_both_paths() -> None:
    a, b = Value(-2.0), Value(3.0)
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert f.data == -6.0
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_backward_twice_adds_the_gradients_again() -> None:
    a = Value(3.0)
    y = a * a
    y.backward()
    y.backward()
    assert a.grad == 12.0  # 6 + 6: gradients accumulate until reset


def test_backward_on_a_leaf_sets_its_own_gradient_to_one() -> None:
    a = Value(4.0)
    a.backward()
    assert a.grad == 1.0


def test_pow_at_zero_with_fractional_exponent_reports_infinite_slope(torch) -> None:
    a = Value(0.0)
    (a**0.5).backward()
    ta = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (ta**0.5).backward()
    assert a.grad == math.inf == ta.grad.item()


def test_pow_zero_exponent_gives_one_and_zero_slope() -> None:
    a = Value(0.0)
    y = a**0
    y.backward()
    assert (y.data, a.grad) == (1.0, 0.0)


def test_sigmoid_of_large_inputs_does_not_overflow() -> None:
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0


def test_relu_at_zero_has_zero_slope() -> None:
    a = Value(0.0)
    y = a.relu()
    y.backward()
    assert (y.data, a.grad) == (0.0, 0.0)


def test_integers_and_other_real_numbers_are_stored_as_floats() -> None:
    from fractions import Fraction

    assert Value(3).data == 3.0 and type(Value(3).data) is float
    assert Value(Fraction(1, 4)).data == 0.25
    assert type((Value(2.0) + Fraction(1, 2)).data) is float
    assert (Value(2.0) + Fraction(1, 2)).data == 2.5


def test_repr_shows_data_grad_and_label() -> None:
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(-1.5, label="x")) == "Value(data=-1.5, grad=0.0, label='x')"


# -- graph structure -------------------------------------------------------------------------------


def test_operations_record_their_children_in_order_and_their_op() -> None:
    a, b = Value(2.0), Value(3.0)
    product = a * b
    assert product._children == (a, b)
    assert product._op == "*"
    assert product._local_grads == (3.0, 2.0)
    assert (b * a)._children == (b, a)
    assert (a + b)._op == "+"
    assert (a**2)._op == "**2"
    assert (a / b)._children[1]._op == "**-1"
    assert [(2 * a)._children[0], (a * 2)._children[0]] == [a, a]
    assert (a * 2)._children[1].data == 2.0
    assert (-a)._op == "*" and (-a)._children[1].data == -1.0
    for name in ("tanh", "exp", "log", "relu", "sigmoid"):
        node = getattr(a, name)()
        assert node._op == name and node._children == (a,)


def test_topological_order_lists_children_before_parents_each_once() -> None:
    a, b = Value(2.0), Value(3.0)
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert order == [a, b, c, d, e]


def test_deep_chain_backpropagates_without_recursion_error() -> None:
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y + x  # one new node per step: a chain 100,000 operations deep
    y.backward()
    assert len(y.topological_order()) == 100_001
    assert y.data == 0.5 * 100_001
    assert x.grad == 100_001.0


# -- bad inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "shown"),
    [("abc", "'abc'"), (None, "None"), ([1], "[1]"), (True, "True"), (1 + 2j, "(1+2j)")],
)
def test_value_of_a_non_number_raises_type_error_naming_it(data: object, shown: str) -> None:
    with pytest.raises(TypeError, match="real number") as error:
        Value(data)
    assert shown in str(error.value)


@pytest.mark.parametrize("args", [((),), (("a", "b"), "+"), (None,)])
def test_value_with_a_label_that_is_not_a_string_raises_type_error_saying_how_to_pass_inputs(
    args: tuple,
) -> None:
    # The lecture's Value takes (data, _children, _op, label): ported code puts the inputs first.
    with pytest.raises(TypeError, match="label must be a string") as error:
        Value(1.0, *args)
    assert repr(args[0]) in str(error.value)
    assert "_children=(a, b)" in str(error.value)


def test_value_takes_any_string_as_label_including_a_str_subclass() -> None:
    class Name(str):
        pass

    assert Value(1.0, "a").label == "a"
    assert Value(1.0, label=Name("w1")).label == "w1"


def test_value_operations_with_non_numbers_raise_type_error() -> None:
    a = Value(1.0)
    for bad in ("x", None, [1.0], True):
        with pytest.raises(TypeError):
            a + bad
        with pytest.raises(TypeError):
            bad * a
        with pytest.raises(TypeError):
            a**bad


def test_value_to_the_power_of_a_value_raises_type_error_saying_what_works() -> None:
    with pytest.raises(TypeError, match="exponent must be a plain int or float") as error:
        Value(2.0) ** Value(3.0)
    assert "3.0" in str(error.value)


@pytest.mark.parametrize("data", [0.0, -1.0])
def test_log_of_non_positive_raises_value_error_naming_it(data: float) -> None:
    with pytest.raises(ValueError, match="positive") as error:
        Value(data).log()
    assert repr(data) in str(error.value)


def test_negative_base_with_fractional_exponent_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"-8\.0.*0\.5"):
        Value(-8.0) ** 0.5
    assert (Value(-2.0) ** 3).data == -8.0  # whole exponents are fine


def test_division_by_zero_raises_zero_division_error() -> None:
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        1 / Value(0.0)


# -- determinism -----------------------------------------------------------------------------------


def _seeded_training_run() -> tuple[list[float], list[float]]:
    model = MLP(3, [4, 4, 1], seed=7)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0]]
    ys = [1.0, -1.0, -1.0]
    for _ in range(3):
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
    params = model.parameters()
    return [p.data for p in params] + [loss.data], [p.grad for p in params]


def test_same_seeded_program_gives_bit_identical_values_and_gradients() -> None:
    random.seed(123)  # the global state must not matter when seed= is given
    first = _seeded_training_run()
    random.seed(456)
    second = _seeded_training_run()
    assert first == second  # exact float equality, not approx


def test_a_new_operation_passes_one_or_two_inputs_each_with_its_local_derivative() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    node = Value(6.0, _children=(a, b), _local_grads=(2.0, 1.0), _op="f")
    assert (node._children, node._local_grads, node._op) == ((a, b), (2.0, 1.0), "f")
    node.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)
    with pytest.raises(ValueError, match="one or two inputs"):
        Value(6.0, _children=(a, b, c), _local_grads=(1.0, 1.0, 1.0))
    with pytest.raises(ValueError, match="got 2 children and 1 local derivatives"):
        Value(6.0, _children=(a, b), _local_grads=(1.0,))
