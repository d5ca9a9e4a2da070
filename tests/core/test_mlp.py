"""The small network's gradient by hand against central differences, and the datasets it learns from."""

import numpy as np
import pytest

from adamgui.core.datasets import GENERATORS, make_dataset, split
from adamgui.core.mlp import MLP
from adamgui.core.params import ParamError


def _central(net: MLP, theta: np.ndarray, X, y, h: float = 1e-6) -> np.ndarray:
    grad = np.empty_like(theta)
    for j in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        grad[j] = (net.loss(up[None], X, y)[0] - net.loss(down[None], X, y)[0]) / (2 * h)
    return grad


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("task", ["classification", "regression"])
@pytest.mark.parametrize("hidden", [(8,), (16, 16), (5, 4, 3)])
def test_backpropagation_is_the_gradient(activation, task, hidden):
    net = MLP(hidden, activation, task)
    data = make_dataset("moons", 60, 0.1, seed=3)
    y = data.y if task == "classification" else data.X[:, 0] * data.X[:, 1]
    theta = net.init(seed=5) * 1.5
    loss, grad = net.loss_and_gradient(theta[None], data.X, y)
    assert grad.shape == (1, net.size) and loss.shape == (1,)
    np.testing.assert_allclose(loss[0], net.loss(theta[None], data.X, y)[0], rtol=1e-14)
    np.testing.assert_allclose(grad[0], _central(net, theta, data.X, y), rtol=1e-5, atol=1e-8)


def test_a_stack_of_networks_is_each_network_alone():
    net = MLP((16, 16), "tanh")
    data = make_dataset("spirals", 100, 0.05)
    thetas = np.stack([net.init(seed=s) for s in range(4)])
    losses, grads = net.loss_and_gradient(thetas, data.X, data.y)
    for p in range(4):
        one_loss, one_grad = net.loss_and_gradient(thetas[p : p + 1], data.X, data.y)
        np.testing.assert_allclose(losses[p], one_loss[0], rtol=1e-13)
        np.testing.assert_allclose(grads[p], one_grad[0], rtol=1e-12, atol=1e-15)


def test_the_shape_and_the_first_weights():
    net = MLP((16, 16))
    assert net.sizes == (2, 16, 16, 1) and net.size == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    theta = net.init(seed=1)
    (W1, b1), (W2, _), (W3, _) = net.layers(theta[None])
    assert W1.shape == (1, 2, 16) and b1.shape == (1, 16)
    assert np.abs(W1).max() <= 1 / np.sqrt(2) and np.abs(W2).max() <= 1 / 4 and np.abs(W3).max() <= 1 / 4
    np.testing.assert_array_equal(theta, net.init(seed=1))
    assert not np.array_equal(theta, net.init(seed=2))


def test_huge_outputs_give_finite_losses_and_gradients():
    net = MLP((4,), "relu")
    data = make_dataset("blobs", 50)
    theta = net.init()[None] * 1e6
    loss, grad = net.loss_and_gradient(theta, data.X, data.y)
    assert np.isfinite(loss).all() and np.isfinite(grad).all()


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_dataset_is_balanced_seeded_and_learnable_in_shape(name):
    data = make_dataset(name, 201, 0.1, seed=4)
    assert data.X.shape == (201, 2) and sorted(set(data.y)) == [0.0, 1.0]
    assert abs(int(data.y.sum()) - 100) <= 1
    again = make_dataset(name, 201, 0.1, seed=4)
    np.testing.assert_array_equal(data.X, again.X)
    assert not np.array_equal(data.X, make_dataset(name, 201, 0.1, seed=5).X)
    train, test = split(data, 0.25, seed=1)
    assert len(train.y) + len(test.y) == 201 and len(test.y) == 50
    together = np.concatenate([train.X, test.X])
    assert sorted(map(tuple, together)) == sorted(map(tuple, data.X))


def test_a_network_learns_xor_with_gradient_descent():
    net = MLP((8,), "tanh")
    data = make_dataset("xor", 200, 0.05, seed=0)
    theta = net.init(seed=0)[None]
    for _ in range(3000):
        _, grad = net.loss_and_gradient(theta, data.X, data.y)
        theta = theta - 0.5 * grad
    assert net.accuracy(theta, data.X, data.y)[0] > 0.95


@pytest.mark.parametrize(
    "call, says",
    [
        (lambda: make_dataset("swirl"), "Unknown dataset"),
        (lambda: make_dataset("moons", 10), "Invalid size"),
        (lambda: make_dataset("moons", 200, 5.0), "Invalid noise"),
        (lambda: MLP((64,)), "Invalid hidden layers"),
        (lambda: MLP((8, 8, 8, 8)), "Invalid hidden layers"),
        (lambda: MLP((8,), "sigmoid"), "Invalid activation"),
        (lambda: MLP((8,)).layers(np.zeros((1, 3))), "θ must be"),
    ],
)
def test_bad_shapes_and_datasets_are_refused_with_a_sentence(call, says):
    with pytest.raises(ParamError, match=says):
        call()


def test_losses_and_gradients_are_torch_autograd_s():
    """16 networks (1 to 3 hidden layers, tanh and ReLU, four datasets, first and perturbed weights): the loss and
    the hand-written backpropagation's gradient equal torch.autograd's, stored by tests/fixtures/make_mlp_torch.py."""
    import json
    from pathlib import Path

    from adamgui.core.mlp import MLP

    reference = json.loads((Path(__file__).parents[1] / "fixtures" / "mlp_torch_reference.json").read_text())
    assert len(reference["cases"]) == 16
    for case in reference["cases"]:
        net = MLP(tuple(case["hidden"]), case["activation"])
        theta = np.array(case["theta"])[None]
        loss, grad = net.loss_and_gradient(theta, np.array(case["X"]), np.array(case["y"]))
        assert loss[0] == pytest.approx(case["loss"], rel=1e-12, abs=1e-15)
        np.testing.assert_allclose(grad[0], case["grad"], rtol=1e-9, atol=1e-13)
