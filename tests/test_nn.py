"""The neural-net library, losses and datasets: sizes, seeding, activations, training."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import MLP, Layer, Neuron, Value
from micrograd.data import lecture_dataset, make_moons
from micrograd.losses import accuracy, l2_penalty, max_margin_loss, sum_squared_error

# -- sizes and parameters --------------------------------------------------------------------------


def test_lecture_mlp_has_41_parameters() -> None:
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41  # 4*(3+1) + 4*(4+1) + 1*(4+1)


def test_moons_mlp_has_337_parameters() -> None:
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337  # 16*3 + 16*17 + 1*17


def test_parameters_are_distinct_values_in_layer_neuron_order() -> None:
    model = MLP(2, [3, 1], seed=0)
    params = model.parameters()
    assert len({id(p) for p in params}) == len(params)
    first = model.layers[0].neurons[0]
    assert params[:3] == [*first.w, first.b]
    assert params[-1] is model.layers[-1].neurons[-1].b


def test_zero_grad_zeroes_every_parameter_gradient() -> None:
    model = MLP(3, [4, 4, 1], seed=1)
    loss = sum_squared_error([model(x) for x in lecture_dataset()[0]], lecture_dataset()[1])
    loss.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# -- seeding ---------------------------------------------------------------------------------------


def _weights(model: MLP) -> list[float]:
    return [p.data for p in model.parameters()]


def test_seed_gives_the_same_weights_whatever_the_global_random_state() -> None:
    random.seed(1)
    first = _weights(MLP(3, [4, 4, 1], seed=42))
    random.seed(2)
    second = _weights(MLP(3, [4, 4, 1], seed=42))
    assert first == second
    assert first != _weights(MLP(3, [4, 4, 1], seed=43))
    assert all(-1.0 <= w <= 1.0 for w in first)


def test_without_seed_random_seed_makes_weights_reproducible() -> None:
    random.seed(1337)
    first = _weights(MLP(3, [4, 4, 1]))
    random.seed(1337)
    second = _weights(MLP(3, [4, 4, 1]))
    assert first == second
    assert first != _weights(MLP(3, [4, 4, 1]))  # the global generator moved on


# -- activations -----------------------------------------------------------------------------------


def _preactivation(neuron: Neuron, x: list[float]) -> float:
    return neuron.b.data + sum(w.data * xi for w, xi in zip(neuron.w, x, strict=True))


@pytest.mark.parametrize(
    ("activation", "function"),
    [
        ("tanh", math.tanh),
        ("relu", lambda z: max(z, 0.0)),
        ("sigmoid", lambda z: 1.0 / (1.0 + math.exp(-z))),
        ("linear", lambda z: z),
    ],
)
def test_neuron_applies_its_activation_to_w_dot_x_plus_b(activation: str, function) -> None:
    rng = random.Random(3)
    neuron = Neuron(3, activation, rng=rng)
    for x in ([0.5, -1.0, 2.0], [-2.0, 1.5, -0.5], [3.0, 3.0, 3.0]):
        assert neuron(x).data == pytest.approx(function(_preactivation(neuron, x)), abs=1e-12)


def test_relu_neuron_outputs_zero_and_passes_no_gradient_when_inactive() -> None:
    neuron = Neuron(1, "relu", rng=random.Random(0))
    neuron.w[0].data, neuron.b.data = 1.0, -5.0
    out = neuron([1.0])
    out.backward()
    assert out.data == 0.0
    assert neuron.w[0].grad == 0.0 and neuron.b.grad == 0.0


def test_mlp_uses_hidden_activation_and_output_activation() -> None:
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    assert [n.activation for n in model.layers[0].neurons] == ["relu"] * 16
    assert model.layers[-1].neurons[0].activation == "linear"
    assert model([0.3, -0.7])._op == "+"  # a linear output is the sum itself
    assert MLP(2, [3, 1], seed=0).layers[-1].neurons[0].activation == "tanh"  # the default


def test_layer_of_one_returns_a_value_and_of_many_a_list() -> None:
    assert isinstance(Layer(2, 1, rng=random.Random(0))([1.0, 2.0]), Value)
    outs = Layer(2, 3, rng=random.Random(0))([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 3
    assert len(MLP(2, [4, 3], seed=0)([1.0, 2.0])) == 3


def test_neuron_accepts_values_and_plain_numbers_alike() -> None:
    neuron = Neuron(2, rng=random.Random(5))
    assert neuron([Value(1.0), Value(-2.0)]).data == neuron([1.0, -2.0]).data


def test_reprs_name_sizes_and_activations() -> None:
    assert repr(Neuron(2, "relu", rng=random.Random(0))) == "Neuron(2, activation='relu')"
    assert repr(MLP(1, [1], seed=0)) == "MLP of [Layer of [Neuron(1, activation='tanh')]]"


# -- bad arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Neuron(0), "at least one input"),
        (lambda: Layer(2, 0), "at least one neuron"),
        (lambda: MLP(2, []), "nouts is empty"),
        (lambda: MLP(2, [3, 0]), "at least one neuron"),
        (lambda: Neuron(2, "softmax"), "'softmax'"),
        (lambda: MLP(2, [3, 1], activation="swish"), "'swish'"),
        (lambda: MLP(2, [3, 1], output_activation="step"), "'step'"),
    ],
)
def test_bad_sizes_and_activations_raise_value_error(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_neuron_called_with_the_wrong_number_of_inputs_raises_value_error() -> None:
    with pytest.raises(ValueError, match="takes 3 inputs, got 2"):
        Neuron(3, rng=random.Random(0))([1.0, 2.0])
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        MLP(2, [4, 1], seed=0)([1.0, 2.0, 3.0])


# -- losses ----------------------------------------------------------------------------------------


def test_sum_squared_error_value_and_gradients() -> None:
    predictions = [Value(0.5), Value(-2.0)]
    loss = sum_squared_error(predictions, [1.0, -1.0])
    loss.backward()
    assert loss.data == 0.25 + 1.0
    assert [p.grad for p in predictions] == [-1.0, -2.0]  # 2 * (prediction - target)


def test_max_margin_loss_is_the_mean_hinge() -> None:
    scores = [Value(2.0), Value(0.5), Value(-0.25)]
    loss = max_margin_loss(scores, [1.0, 1.0, 1.0])
    loss.backward()
    assert loss.data == pytest.approx((0.0 + 0.5 + 1.25) / 3, abs=1e-15)
    assert [s.grad for s in scores] == pytest.approx([0.0, -1 / 3, -1 / 3], abs=1e-15)


def test_l2_penalty_and_accuracy() -> None:
    params = [Value(1.0), Value(-2.0)]
    penalty = l2_penalty(params, alpha=0.5)
    penalty.backward()
    assert penalty.data == 2.5
    assert [p.grad for p in params] == [1.0, -2.0]  # 2 * alpha * p
    assert accuracy([Value(0.3), Value(-1.0), Value(2.0)], [1.0, 1.0, 1.0]) == 2 / 3


def test_losses_reject_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 predictions for 1 targets"):
        sum_squared_error([Value(0.0), Value(1.0)], [1.0])
    with pytest.raises(ValueError, match="1 scores for 2 labels"):
        max_margin_loss([Value(0.0)], [1.0, -1.0])


# -- datasets --------------------------------------------------------------------------------------


def test_lecture_dataset_is_the_four_lecture_examples() -> None:
    xs, ys = lecture_dataset()
    assert xs[0] == [2.0, 3.0, -1.0] and len(xs) == 4 and all(len(x) == 3 for x in xs)
    assert ys == [1.0, -1.0, -1.0, 1.0]


def test_make_moons_is_balanced_and_reproducible() -> None:
    points, labels = make_moons(100, noise=0.1, seed=3)
    assert len(points) == 100 and labels.count(-1.0) == 50 and labels.count(1.0) == 50
    assert (points, labels) == make_moons(100, noise=0.1, seed=3)
    assert points != make_moons(100, noise=0.1, seed=4)[0]
    with pytest.raises(ValueError, match="at least 2"):
        make_moons(1)


# -- training --------------------------------------------------------------------------------------


def test_training_on_the_lecture_dataset_drives_the_loss_below_0_01() -> None:
    # 100 steps of the lecture's loop. With the tanh precedence bug (1 - t**2 * out.grad) the
    # gradients are wrong and the loss stalls far above this.
    xs, ys = lecture_dataset()
    model = MLP(3, [4, 4, 1], seed=0)
    for _ in range(100):
        loss = sum_squared_error([model(x) for x in xs], ys)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    assert loss.data < 0.01
    assert [math.copysign(1.0, model(x).data) for x in xs] == ys


def test_moons_training_with_max_margin_loss_reaches_high_accuracy() -> None:
    points, labels = make_moons(50, noise=0.1, seed=1)
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=1)
    for k in range(30):
        scores = [model(p) for p in points]
        loss = max_margin_loss(scores, labels) + l2_penalty(model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
    assert loss.data < 0.2
    assert accuracy([model(p) for p in points], labels) >= 0.95
