"""Hidden suite, part model (100 points): train in the sandbox, judge on held-out rows in the parent.

The worker gets the training rows and the held-out *features*; the held-out
labels stay here. Full marks at accuracy >= target, linear partial credit down
to zero_at (assignment.toml [data]).
"""
import time

from graders.core.compare import Mismatch
from graders.hw04 import judge
from graders.hw04.splits import load_split
from graders.i18n import _


def test_heldout_accuracy(student, spec, data_path, device, record_property):
    settings = spec.data
    split = load_split(spec, data_path)
    start = time.monotonic()  # measured here: the worker's own clock is the student's to fake
    result = student.harness.train_and_predict(split.X_train, split.y_train, split.X_test, device=device,
                                               seed=int(settings["torch_seed"]), label=_("fit() on the training rows"))
    logits = judge.check_result(result, len(split.y_test))
    target, zero_at = float(settings["target"]), float(settings["zero_at"])
    verdict = judge.verdict(logits, split.y_test, target, zero_at)
    text = judge.message(verdict, target, time.monotonic() - start, device, split.describe())
    record_property("metric:accuracy", round(verdict.accuracy, 4))  # a gradebook column in batches
    if verdict.fraction < 1:
        raise Mismatch(text, judge.hint(verdict), fraction=verdict.fraction)
    record_property("message", text)
