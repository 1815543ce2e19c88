"""hw03 harness: small drivers run INSIDE the worker for objects that must stay there.

It holds nothing secret (no expected values): it builds the student's optimizer
or Dropout module from plain inputs and returns plain tensors for the parent to
judge. `student` is the worker's lazy view of the submission's modules.
"""
import torch


def _params(values):
    return [torch.nn.Parameter(v.clone()) for v in values]


def run_optimizer(student, cls_name, params, grads, kwargs, groups=None):
    """Run len(grads) steps; grads[t][i] is parameter i's gradient at step t (None: no grad).
    Returns the parameter values after every step."""
    cls = getattr(student.optimizers, cls_name)
    ps = _params(params)
    if groups:
        arg = [dict(options, params=[ps[i] for i in indices]) for indices, options in groups]
    else:
        arg = ps
    optimizer = cls(arg, **kwargs)
    trajectory = []
    for step_grads in grads:
        for p, g in zip(ps, step_grads):
            p.grad = None if g is None else g.clone()
        optimizer.step()
        trajectory.append([p.detach().clone() for p in ps])
    return trajectory


def optimizer_facts(student, cls_name):
    """Is it a torch.optim.Optimizer, and does step(closure) return the closure's loss?"""
    cls = getattr(student.optimizers, cls_name)
    p = torch.nn.Parameter(torch.ones(3))
    optimizer = cls([p])
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    loss = optimizer.step(closure)
    return {"is_optimizer": isinstance(optimizer, torch.optim.Optimizer),
            "loss": None if loss is None else float(loss), "closure_calls": len(calls),
            "state_keys": sorted(str(k) for k in optimizer.state.get(p, {}).keys())}


def dropout_call(student, x, p, training=True, seed=0):
    """Function form, seeded; also reports whether x was modified in place."""
    torch.manual_seed(seed)
    before = x.clone()
    y = student.dropout.dropout(x, p=p, training=training)
    return {"y": y, "x_unchanged": bool(torch.equal(x, before))}


def dropout_module(student, x, p, train=True, seed=0):
    """Module form in train or eval mode."""
    torch.manual_seed(seed)
    module = student.dropout.Dropout(p)
    module.train(train)
    return {"y": module(x), "is_module": isinstance(module, torch.nn.Module)}


def dropout_reproducible(student, x, p):
    """Two calls after the same torch.manual_seed must agree; a third with another seed differ."""
    outputs = []
    for seed in (7, 7, 8):
        torch.manual_seed(seed)
        outputs.append(student.dropout.dropout(x, p=p, training=True))
    return outputs


def dropout_grad(student, x, p, seed=0):
    """y and dL/dx for L = y.sum()."""
    torch.manual_seed(seed)
    leaf = x.clone().requires_grad_(True)
    y = student.dropout.dropout(leaf, p=p, training=True)
    y.sum().backward()
    grad = leaf.grad if leaf.grad is not None else torch.full_like(x, float("nan"))
    return {"y": y.detach(), "grad": grad}
