"""hw03 harness: small drivers run INSIDE the worker for objects that must stay there.

It holds nothing secret (no expected values): it builds the student's optimizer
or Dropout module from plain inputs and returns plain tensors for the parent to
judge. `student` is the worker's lazy view of the submission's modules.

It returns observations, never verdicts: this code runs in the same interpreter
as the submission, which can patch `isinstance`, `torch.equal` or this module
itself, so any value below may be forged. Each one is therefore chosen so that
the parent judges it against what it sent or computed itself, and a forgery buys
at most the one structural fact it reports:
- a trajectory, an output, the input after the call: compared in the parent with
  values the worker never sees; forging them means computing the right answer.
- `mro` (the qualified names of the class's MRO): a structural fact only the
  worker can see. Forging it passes "is a torch.nn.Module / Optimizer" for a class
  that then still has to pass every behavioural test on its own.
- `closure_calls` and `loss`: the loss is compared with sum(p**2) of the start
  point the parent chose; the count of calls is the worker's word.
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


def mro_names(obj):
    """The qualified names of type(obj)'s MRO, e.g. ['mod.Dropout', 'torch.nn.modules.module.Module', 'object']."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(obj).__mro__]


def optimizer_facts(student, cls_name, start):
    """One step(closure) from p = start: the class's MRO names, the loss step returned, the closure's calls."""
    cls = getattr(student.optimizers, cls_name)
    p = torch.nn.Parameter(start.clone())
    optimizer = cls([p])
    calls = []

    def closure():
        calls.append(1)
        optimizer.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    loss = optimizer.step(closure)
    return {"mro": mro_names(optimizer), "loss": None if loss is None else float(loss),
            "closure_calls": len(calls)}


def dropout_call(student, x, p, training=True, seed=0):
    """Function form, seeded; also x itself after the call (the parent compares it with the x it sent)."""
    torch.manual_seed(seed)
    y = student.dropout.dropout(x, p=p, training=training)
    return {"y": y, "x_after": x}


def dropout_calls(student, x, p, seeds):
    """One call per seed on the SAME x, then x: a change made in place shows in the later outputs too."""
    outputs = []
    for seed in seeds:
        torch.manual_seed(seed)
        outputs.append(student.dropout.dropout(x, p=p, training=True))
    return {"outputs": outputs, "x_after": x}


def dropout_module(student, x, p, train=True, seed=0):
    """Module form in train or eval mode, and the module class's MRO names."""
    torch.manual_seed(seed)
    module = student.dropout.Dropout(p)
    module.train(train)
    return {"y": module(x), "mro": mro_names(module)}


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
