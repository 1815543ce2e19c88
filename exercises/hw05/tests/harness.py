"""hw05 harness: small drivers run INSIDE the worker for calls that must stay there.

It holds nothing secret (no expected values) and returns observations, never
verdicts: the parent judges every value against what it sent or computed itself.
`student` is the worker's lazy view of the submission's modules.
"""
import torch


def mro_names(obj):
    """The qualified names of type(obj)'s MRO (a structural fact only the worker can see)."""
    return [f"{c.__module__}.{c.__qualname__}" for c in type(obj).__mro__]


def init_call(student, name, shape, seed, kwargs):
    """Seeded call of init.NAME on a NaN-filled weight: what it returned and the weight after the call."""
    torch.manual_seed(seed)
    weight = torch.full(shape, float("nan"))
    returned = getattr(student.init, name)(weight, **kwargs)
    return {"returned": returned, "after": weight}


def batchnorm_run(student, num_features, train_batches, eval_batches, kwargs):
    """A fresh BatchNorm1d: one forward per training batch in train mode, then each eval batch after .eval()."""
    module = student.batchnorm.BatchNorm1d(num_features, **kwargs)
    module.train()
    train = [module(x).detach() for x in train_batches]
    module.eval()
    evals = [module(x).detach() for x in eval_batches]
    return {"train": train, "eval": evals, "mro": mro_names(module)}


def batchnorm_input_grad(student, x, grad_output, kwargs):
    """y and dL/dx for L = (y * grad_output).sum() through a fresh BatchNorm1d in train mode (autograd)."""
    module = student.batchnorm.BatchNorm1d(x.shape[1], **kwargs)
    module.train()
    leaf = x.clone().requires_grad_(True)
    y = module(leaf)
    (y * grad_output).sum().backward()
    grad = leaf.grad if leaf.grad is not None else torch.full_like(x, float("nan"))
    return {"y": y.detach(), "grad": grad}
