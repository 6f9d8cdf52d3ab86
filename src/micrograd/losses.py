"""Losses the notebooks share: the lecture's squared error and the moons demo's SVM loss."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from micrograd.engine import Value

__all__ = ["sum_squared_error", "max_margin_loss", "l2_penalty", "accuracy"]


def sum_squared_error(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """The lecture's loss: sum over examples of (prediction - target) ** 2."""
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions for {len(targets)} targets")
    return sum(((p - y) ** 2 for p, y in zip(predictions, targets, strict=True)), Value(0.0))


def max_margin_loss(scores: Sequence[Value], labels: Sequence[float]) -> Value:
    """The SVM hinge loss of the original micrograd demo: mean of relu(1 - label * score).

    Labels are -1 or +1. A point scores zero loss once it is on the right side by a margin of 1.
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores for {len(labels)} labels")
    losses = [(1 - y * s).relu() for s, y in zip(scores, labels, strict=True)]
    return sum(losses, Value(0.0)) * (1.0 / len(losses))


def l2_penalty(parameters: Iterable[Value], alpha: float = 1e-4) -> Value:
    """alpha * sum of squared parameters: pulls weights towards zero (weight decay)."""
    return alpha * sum((p * p for p in parameters), Value(0.0))


def accuracy(scores: Sequence[Value], labels: Sequence[float]) -> float:
    """The fraction of points whose score has the sign of their label."""
    hits = sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels, strict=True))
    return hits / len(labels)
