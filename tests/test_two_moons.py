"""The two-moons demo of the original micrograd repository, trained with this package.

Same data, model, seeds and schedule as notebooks/23-two-moons-demo.ipynb: the 337-parameter
ReLU network must separate all 100 training points after 100 steps. Takes a few seconds.
"""

from __future__ import annotations

from micrograd import MLP
from micrograd.data import make_moons
from micrograd.losses import accuracy, l2_penalty, max_margin_loss

DATA_SEED = 1
MODEL_SEED = 1


def _model() -> MLP:
    return MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=MODEL_SEED)


def test_demo_network_has_337_parameters() -> None:
    assert len(_model().parameters()) == 337


def test_demo_training_reaches_full_training_accuracy_and_lowers_the_loss() -> None:
    xs, ys = make_moons(n_samples=100, noise=0.1, seed=DATA_SEED)
    assert sorted(set(ys)) == [-1.0, 1.0]
    model = _model()
    losses = []
    for k in range(100):
        scores = [model(x) for x in xs]
        loss = max_margin_loss(scores, ys) + l2_penalty(model.parameters(), alpha=1e-4)
        model.zero_grad()
        loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(loss.data)
    final_scores = [model(x) for x in xs]
    assert accuracy(final_scores, ys) == 1.0
    assert losses[-1] < losses[0] / 10
