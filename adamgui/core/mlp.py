"""A small network for two inputs: an MLP with 1 to 3 hidden layers of up to 32 units, in numpy, its gradient
by hand (backpropagation), for a batch of parameter vectors at once.

The parameters of one network are one flat vector θ (layer by layer: the weights W (in × out), then the
biases b), so an optimizer sees a vector of length d like the two coordinates of a surface. Every function
takes a stack of P vectors, θ of shape (P, d), and gives P losses and P gradients: runs of several
optimizers step as one batch, as on a surface.

Classification: one output z, the probability σ(z), the loss the mean binary cross-entropy
mean(log(1 + e^z) − y·z), computed stably. Regression: one output ŷ = z, the loss the mean of ½(ŷ − y)².

The initial weights are torch's ``nn.Linear`` default: each weight and bias uniform in ±1/√(fan in).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adamgui.core.params import ParamError

MAX_LAYERS, MAX_UNITS = 3, 32
ACTIVATIONS = ("tanh", "relu")
TASKS = ("classification", "regression")


@dataclass(frozen=True)
class MLP:
    """The shape of the network: ``hidden`` units per hidden layer, its activation, its task."""

    hidden: tuple[int, ...] = (8,)
    activation: str = "tanh"
    task: str = "classification"
    inputs: int = 2

    def __post_init__(self):
        if not 1 <= len(self.hidden) <= MAX_LAYERS or not all(
            isinstance(h, int) and 1 <= h <= MAX_UNITS for h in self.hidden
        ):
            raise ParamError(
                f"Invalid hidden layers: {self.hidden} (allowed: 1 to {MAX_LAYERS} layers of 1 to {MAX_UNITS} units)"
            )
        if self.activation not in ACTIVATIONS:
            raise ParamError(f"Invalid activation: {self.activation!r} (allowed: {', '.join(ACTIVATIONS)})")
        if self.task not in TASKS:
            raise ParamError(f"Invalid task: {self.task!r} (allowed: {', '.join(TASKS)})")

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.inputs, *self.hidden, 1)

    @property
    def size(self) -> int:
        """d: how many numbers θ holds."""
        return sum(a * b + b for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True))

    def layers(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(W (P, in, out), b (P, out)) of each layer: views into ``theta`` (P, d)."""
        theta = np.asarray(theta, dtype=float)
        if theta.ndim != 2 or theta.shape[1] != self.size:
            raise ParamError(f"θ must be (P, {self.size}) for this network, not {theta.shape}")
        out, at = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            W = theta[:, at : at + a * b].reshape(-1, a, b)
            at += a * b
            out.append((W, theta[:, at : at + b]))
            at += b
        return out

    def init(self, seed: int = 0) -> np.ndarray:
        """A first θ (d,): every weight and bias uniform in ±1/√(fan in), as torch's ``nn.Linear`` starts."""
        rng = np.random.default_rng([seed, 41])
        parts = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            bound = 1 / math.sqrt(a)
            parts += [rng.uniform(-bound, bound, a * b), rng.uniform(-bound, bound, b)]
        return np.concatenate(parts)

    def _act(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0)

    def _act_slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return 1 - a * a if self.activation == "tanh" else (z > 0).astype(float)

    def outputs(self, theta: np.ndarray, X: np.ndarray) -> np.ndarray:
        """z (P, M): each network's output for each row of ``X`` (M, 2)."""
        return self._forward(theta, X)[0][-1][..., 0]

    def _forward(self, theta, X) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each layer's pre-activation z (P, M, out) and input a (P, M, in); the last z is the output."""
        a = np.broadcast_to(np.asarray(X, dtype=float), (len(theta), *np.shape(X)))
        inputs, zs = [], []
        layers = self.layers(theta)
        for k, (W, b) in enumerate(layers):
            inputs.append(a)
            z = a @ W + b[:, None, :]
            zs.append(z)
            a = self._act(z) if k < len(layers) - 1 else z
        return zs, inputs

    def loss(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The mean loss over the rows, for each of the P networks: (P,)."""
        z = self.outputs(theta, X)
        return self._loss(z, np.asarray(y, dtype=float))

    def _loss(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self.task == "classification":
            return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)  # log(1 + e^z) − y z, without overflow
        return np.mean(0.5 * (z - y) ** 2, axis=-1)

    def loss_and_gradient(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P,) losses and (P, d) gradients by backpropagation, layer by layer back from the output."""
        theta = np.asarray(theta, dtype=float)
        y = np.asarray(y, dtype=float)
        zs, inputs = self._forward(theta, X)
        z_out = zs[-1][..., 0]
        m = z_out.shape[-1]
        if self.task == "classification":
            dz = (0.5 * (1 + np.tanh(0.5 * z_out)) - y) / m  # σ(z) − y, σ written through tanh (no overflow)
        else:
            dz = (z_out - y) / m
        dz = dz[..., None]  # (P, M, 1)
        layers = self.layers(theta)
        grads = []
        for k in range(len(layers) - 1, -1, -1):
            W, _ = layers[k]
            a = inputs[k]
            grads.append((np.swapaxes(a, 1, 2) @ dz, dz.sum(axis=1)))
            if k:
                da = dz @ np.swapaxes(W, 1, 2)
                dz = da * self._act_slope(zs[k - 1], inputs[k])
        grads.reverse()
        flat = np.concatenate([part.reshape(len(theta), -1) for gW, gb in grads for part in (gW, gb)], axis=1)
        return self._loss(z_out, y), flat

    def accuracy(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(P,) the share of rows each network classifies right (σ(z) ≥ ½ means class 1)."""
        return np.mean((self.outputs(theta, X) >= 0) == (np.asarray(y) >= 0.5), axis=-1)
