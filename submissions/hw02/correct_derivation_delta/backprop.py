"""My forward/backward pass, numpy only."""
import numpy as np

from activations import sigmoid, sigmoid_grad


def forward(x, W1, b1, W2, b2):
    cache = {}
    cache["z1"] = np.einsum("nd,hd->nh", x, W1) + b1
    cache["a1"] = sigmoid(cache["z1"])
    cache["z2"] = np.einsum("nh,oh->no", cache["a1"], W2) + b2
    cache["a2"] = sigmoid(cache["z2"])
    return cache


def mse_loss(a2, t):
    err = (a2 - t).ravel()
    return 0.5 * float(err @ err)


def backward(x, t, cache, W1, W2):
    dL_da2 = cache["a2"] - t
    delta2 = dL_da2 * sigmoid_grad(cache["z2"])
    dL_da1 = delta2 @ W2
    delta1 = dL_da1 * sigmoid_grad(cache["z1"])
    grads = {}
    grads["W2"] = np.einsum("no,nh->oh", delta2, cache["a1"])
    grads["b2"] = delta2.sum(axis=0)
    grads["W1"] = np.einsum("nh,nd->hd", delta1, x)
    grads["b1"] = delta1.sum(axis=0)
    return grads


def sgd_step(params, grads, lr):
    new = {}
    for name, value in params.items():
        new[name] = value - lr * grads[name]
    return new


if __name__ == "__main__":
    x = np.array([[0.05, 0.10]])
    t = np.array([[0.01, 0.99]])
    p = {"W1": np.array([[0.15, 0.20], [0.25, 0.30]]), "b1": np.array([0.35, 0.35]),
         "W2": np.array([[0.40, 0.45], [0.50, 0.55]]), "b2": np.array([0.60, 0.60])}
    c = forward(x, **p)
    print(c["a2"], mse_loss(c["a2"], t))
    print(sgd_step(p, backward(x, t, c, p["W1"], p["W2"]), 0.5))
