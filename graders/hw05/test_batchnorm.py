"""Hidden suite, part batchnorm: the module against torch.nn.BatchNorm1d (run here, in the parent), the backward
pass against recorded reference outputs; known-wrong variants (wrong.py) name the misconception."""
import torch

from graders.core.compare import expect_tensor, expect_true
from graders.hw05 import wrong
from graders.i18n import N_, _

C = 5
UNBIASED_HINT = N_("normalise with the biased batch variance (divide by N, unbiased=False); only the running "
                   "variance uses the unbiased one (divide by N - 1)")
EPS_HINT = N_("eps goes inside the square root: (x - mean) / sqrt(var + eps)")
MOMENTUM_HINT = N_("PyTorch's momentum weighs the NEW batch: running = (1 - momentum) * running + momentum * batch. "
                   "The course writes running = momentum * running + (1 - momentum) * batch, where its momentum "
                   "is the weight of the old value (0.9 in that convention); with momentum=0.1 as in torch, "
                   "that formula keeps only 10 % of the history")
RUNNING_BIASED_HINT = N_("the running variance is updated with the unbiased batch variance (divide by N - 1), as torch does")
UPDATED_IN_EVAL_HINT = N_("in eval mode the running statistics must stay unchanged: update them only when self.training")
BATCH_IN_EVAL_HINT = N_("in eval mode normalise with running_mean and running_var, not the batch's statistics")
MEAN_PATH_HINT = N_("the mean's path is missing: mu_B depends on every x_i, which adds -sum_j dy_j / m")
VAR_PATH_HINT = N_("the variance's path is missing: sigma_B^2 depends on every x_i, which adds "
                   "-x_hat_i * sum_j dy_j x_hat_j / m")
BOTH_PATHS_HINT = N_("dL/dx is not only gamma * dy / sqrt(var + eps): mu_B and sigma_B^2 depend on x too")


def _batches(seed, count, n=16, scale=3.0, shift=1.0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, C, generator=g) * scale + shift for _ in range(count)]


def _torch_run(train, evals, **kwargs):
    """What torch.nn.BatchNorm1d gives: the contract."""
    module = torch.nn.BatchNorm1d(C, **kwargs)
    with torch.no_grad():
        out_train = [module(x) for x in train]
        module.eval()
        out_eval = [module(x) for x in evals]
    return out_train, out_eval


def _run(student, train, evals, label, **kwargs):
    """The harness's observations: {"train": [outputs], "eval": [outputs], "mro": [names]}."""
    return student.harness.batchnorm_run(C, train, evals, kwargs, label=label)


def _wrongs(train, evals, pick, **kwargs):
    """hint -> the stacked outputs (train or eval, `pick`) of each known-wrong variant."""
    variants = {UNBIASED_HINT: {"unbiased_norm": True}, EPS_HINT: {"eps_outside": True},
                MOMENTUM_HINT: {"reversed_momentum": True}, RUNNING_BIASED_HINT: {"running_biased": True},
                UPDATED_IN_EVAL_HINT: {"update_in_eval": True}, BATCH_IN_EVAL_HINT: {"batch_stats_in_eval": True}}
    found = {}
    for hint, flags in variants.items():
        outputs = wrong.simulate(train, evals, **kwargs, **flags)[pick]
        found[_(hint)] = torch.stack(outputs).float()
    return found


def _stack(outputs, name):
    expect_true(isinstance(outputs, list) and all(isinstance(t, torch.Tensor) for t in outputs),
                _("{name} did not return tensors").format(name=name), _("forward must return a torch.Tensor"))
    shapes = {tuple(t.shape) for t in outputs}
    expect_true(len(shapes) == 1, _("{name} returned tensors of shapes {shapes}").format(name=name, shapes=sorted(shapes)),
                _("return a tensor of the input's shape (N, C)"))
    return torch.stack(outputs)


def test_is_a_torch_module(student):
    out = _run(student, _batches(1, 1), [], "BatchNorm1d(5)")
    expect_true(isinstance(out["mro"], list) and "torch.nn.modules.module.Module" in out["mro"],
                _("BatchNorm1d is not a torch.nn.Module"), _("declare class BatchNorm1d(torch.nn.Module)"))


def test_training_output_matches_torch(student):
    train = _batches(2, 1)
    got = _run(student, train, [], _("BatchNorm1d(5) in train mode"))["train"]
    expected = _torch_run(train, [])[0]
    expect_tensor(_stack(got, "BatchNorm1d(5)(x)"), torch.stack(expected), name=_("BatchNorm1d(5)(x) in train mode"),
                  wrong=_wrongs(train, [], 0))


def test_eps_inside_the_square_root(student):
    train = _batches(3, 1, scale=2e-3, shift=0.5)  # a batch variance near eps: where eps's place shows
    got = _run(student, train, [], _("BatchNorm1d(5) on a batch of small variance"))["train"]
    expected = _torch_run(train, [])[0]
    expect_tensor(_stack(got, "BatchNorm1d(5)(x)"), torch.stack(expected), name=_("BatchNorm1d(5)(x), batch variance ~ 4e-6"),
                  wrong=_wrongs(train, [], 0), atol=1e-4)


def test_running_statistics_used_in_eval(student):
    train, evals = _batches(4, 4), _batches(5, 1, scale=2.0, shift=-1.0)
    got = _run(student, train, evals, _("BatchNorm1d(5): 4 training batches, then eval"))["eval"]
    expected = _torch_run(train, evals)[1]
    expect_tensor(_stack(got, "BatchNorm1d(5).eval()(x)"), torch.stack(expected),
                  name=_("BatchNorm1d(5).eval()(x) after 4 training batches"), wrong=_wrongs(train, evals, 1))


def test_custom_momentum_and_eps(student):
    train, evals = _batches(6, 3), _batches(7, 1)
    kwargs = {"eps": 1e-3, "momentum": 0.3}
    got = _run(student, train, evals, "BatchNorm1d(5, eps=1e-3, momentum=0.3)", **kwargs)["eval"]
    expected = _torch_run(train, evals, **kwargs)[1]
    expect_tensor(_stack(got, "BatchNorm1d(5, eps=1e-3, momentum=0.3).eval()(x)"), torch.stack(expected),
                  name=_("BatchNorm1d(5, eps=1e-3, momentum=0.3).eval()(x) after 3 training batches"),
                  wrong=_wrongs(train, evals, 1, **kwargs), hint=_("use the module's own eps and momentum arguments"))


def test_eval_leaves_running_statistics_unchanged(student):
    train, evals = _batches(8, 2), _batches(9, 3, scale=5.0, shift=4.0)
    got = _run(student, train, evals, _("BatchNorm1d(5): 2 training batches, then 3 eval batches"))["eval"]
    expected = _torch_run(train, evals)[1]
    expect_tensor(_stack(got, "BatchNorm1d(5).eval()(x)"), torch.stack(expected),
                  name=_("three eval-mode outputs after 2 training batches"), wrong=_wrongs(train, evals, 1))


def test_fresh_module_in_eval_mode(student):
    evals = _batches(10, 1)
    got = _run(student, [], evals, _("BatchNorm1d(5).eval()(x), untrained"))["eval"]
    expect_tensor(_stack(got, "BatchNorm1d(5).eval()(x)"), torch.stack(evals) / (1 + 1e-5) ** 0.5,
                  name=_("a fresh BatchNorm1d(5) in eval mode"),
                  hint=_("start with running_mean = 0, running_var = 1, gamma = 1 and beta = 0"))


def test_input_gradient_through_the_module(student):
    g = torch.Generator().manual_seed(11)
    x, dy = torch.randn(12, C, generator=g) * 2, torch.randn(12, C, generator=g)
    out = student.harness.batchnorm_input_grad(x, dy, {}, label=_("autograd through BatchNorm1d(5)"))
    leaf = x.clone().requires_grad_(True)
    (torch.nn.BatchNorm1d(C)(leaf) * dy).sum().backward()
    expect_tensor(out["grad"], leaf.grad, name=_("dL/dx through BatchNorm1d(5) (autograd)"),
                  hint=_("compute the batch statistics from x itself (no .detach()), so gradients flow through them"))


def _backward(student, golden, name):
    case = golden[name]
    got = student.batchnorm.batchnorm_backward(*case.args, **case.kwargs)
    expect_true(isinstance(got, (list, tuple)) and len(got) == 3,
                _("batchnorm_backward returned {kind}; expected a tuple (dx, dgamma, dbeta)").format(
                    kind=type(got).__name__), _("return dx, dgamma, dbeta"))
    return case, list(got)


def test_backward_input_gradient(student, golden):
    case, got = _backward(student, golden, "batchnorm_backward")
    dy, x, gamma = case.args
    expect_tensor(got[0], case.output[0], name="batchnorm_backward(dy, x, gamma)[0] (dx)", wrong={
        _(MEAN_PATH_HINT): wrong.backward_paths(dy, x, gamma, mean_path=False),
        _(VAR_PATH_HINT): wrong.backward_paths(dy, x, gamma, var_path=False),
        _(BOTH_PATHS_HINT): wrong.backward_paths(dy, x, gamma, mean_path=False, var_path=False)})


def test_backward_with_gamma_and_eps(student, golden):
    case, got = _backward(student, golden, "batchnorm_backward_gamma")
    dy, x, gamma = case.args
    expect_tensor(got[0], case.output[0], name="batchnorm_backward(dy, x, gamma, eps=1e-3)[0] (dx)", wrong={
        _(MEAN_PATH_HINT): wrong.backward_paths(dy, x, gamma, 1e-3, mean_path=False),
        _(VAR_PATH_HINT): wrong.backward_paths(dy, x, gamma, 1e-3, var_path=False)},
        hint=_("dx is proportional to gamma; use the eps argument"))


def test_backward_gamma_and_beta_gradients(student, golden):
    for name in ("batchnorm_backward", "batchnorm_backward_gamma"):
        case, got = _backward(student, golden, name)
        expect_tensor(got[1], case.output[1], name=_("dgamma of {case}").format(case=name),
                      hint=_("dgamma = sum over the batch of dy * x_hat"))
        expect_tensor(got[2], case.output[2], name=_("dbeta of {case}").format(case=name),
                      hint=_("dbeta = sum over the batch of dy"))
