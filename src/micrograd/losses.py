"""Losses the notebooks share: the lecture's squared error and the moons demo's SVM loss."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from micrograd.engine import Value

__all__ = ["sum_squared_error", "max_margin_loss", "l2_penalty", "accuracy"]


def sum_squared_error(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """The lecture's loss: the sum over examples of (prediction - target) ** 2.

    Args:
        predictions: The model's outputs, one Value per example.
        targets: The desired outputs, as plain numbers.

    Returns:
        A Value to call `backward()` on; 0 only if every prediction is exact.

    Raises:
        ValueError: If there are not as many predictions as targets.
    """
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions for {len(targets)} targets")
    return sum(((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)), Value(0.0))


def max_margin_loss(scores: Sequence[Value], labels: Sequence[float]) -> Value:
    """The SVM hinge loss of the original micrograd demo: the mean of relu(1 - label * score).

    A point costs nothing once its score has the sign of its label with a margin of at least 1,
    so training stops pushing on points that are already classified with confidence.

    Args:
        scores: The model's raw (linear) outputs, one Value per point.
        labels: -1.0 or +1.0 per point.

    Returns:
        The mean loss, a Value.

    Raises:
        ValueError: If there are not as many scores as labels.
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores for {len(labels)} labels")
    losses = [(1 - y * s).relu() for s, y in zip(scores, labels, strict=True)]
    return sum(losses, Value(0.0)) * (1.0 / len(losses))


def l2_penalty(parameters: Iterable[Value], alpha: float = 1e-4) -> Value:
    """alpha * the sum of squared parameters: added to a loss, it pulls weights towards zero.

    Args:
        parameters: Usually `model.parameters()`.
        alpha: The strength of the penalty; the original demo uses 1e-4.

    Returns:
        The penalty, a Value (gradient 2 * alpha * p for each parameter p).
    """
    return alpha * sum((p * p for p in parameters), Value(0.0))


def accuracy(scores: Sequence[Value], labels: Sequence[float]) -> float:
    """The fraction of points whose score has the sign of their label (a score of 0 is -1).

    Args:
        scores: The model's outputs, one Value per point.
        labels: -1.0 or +1.0 per point.

    Returns:
        A plain float between 0 and 1; nothing is recorded for backpropagation.
    """
    hits = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels, strict=True))
    return hits / len(labels)
