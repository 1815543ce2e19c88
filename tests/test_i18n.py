"""The message catalog: every student-facing string translated, the language chosen as documented."""
from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import pytest
import torch
from rich.cells import cell_len

from graders.catalogs import catalogs, placeholders, problems
from graders.core.compare import Mismatch, expect_tensor
from graders.i18n import Message, _, join_messages, ngettext, render, resolve_language

ROOT = Path(__file__).resolve().parents[1]

# Calls whose arguments a student or TA reads: a bare literal there is an untranslated message.
MESSAGE_CALLS = {"Mismatch", "expect_true", "expect_raises", "SubmissionError", "GradersError", "SpecError",
                 "UnknownAssignment", "LeakError", "WorkerDied", "WorkerTimeout", "WorkerFault", "ParseError",
                 "EvalError", "EvalTimeout", "DataError", "_err", "error", "echo", "Rejection", "StepResult", "Verdict",
                 "DerivationVerdict"}
MESSAGE_KEYWORDS = {"message", "hint", "name", "help"}


def _words(node: ast.AST) -> bool:
    """A literal (or f-string) that holds prose: two words in a row."""
    import re

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_words(v) for v in node.values)
    return False


def _sources() -> list[Path]:
    return [p for c in catalogs(ROOT) for p in c.sources if p.suffix == ".py"]


def _untranslated(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        args = node.args if func in MESSAGE_CALLS else []
        args = args + [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS and func != "_"]
        found += [f"{path.relative_to(ROOT)}:{a.lineno}" for a in args if _words(a)]
        if func in ("_", "N_") and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp)):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: _() of a computed string")
    return found


def test_every_student_facing_string_has_a_chinese_translation():
    assert problems(ROOT) == []


def test_no_message_bypasses_the_catalog():
    found = [hit for path in _sources() for hit in _untranslated(path)]
    assert found == []


def test_modules_using_the_catalog_never_rebind_underscore():
    """`for _ in ...` inside a function that calls _() makes _ local: an UnboundLocalError at the worst time."""
    bad = []
    for path in _sources():
        if "from graders.i18n import" not in path.read_text(encoding="utf-8"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            stores = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)]
            comprehension_only = all(any(n in ast.walk(c) for c in ast.walk(func) if isinstance(
                c, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))) for n in stores)
            if stores and not comprehension_only:
                bad.append(f"{path.relative_to(ROOT)}:{func.lineno} {func.name}")
    assert bad == []


@pytest.mark.parametrize(("option", "env", "expected"), [
    ("zh", {"LANG": "en_US.UTF-8"}, "zh_CN"),
    ("en", {"LC_ALL": "zh_CN.UTF-8"}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LC_MESSAGES": "zh_CN.GB18030", "LANG": "C"}, "zh_CN"),
    (None, {"LC_ALL": "", "LANG": "zh_TW.UTF-8"}, "zh_CN"),
    (None, {"LANG": "fr_FR.UTF-8"}, "en"),
    (None, {"LANG": "C"}, "en"),
    (None, {}, "en"),
])
def test_lang_option_beats_lc_all_beats_lc_messages_beats_lang_else_english(option, env, expected):
    assert resolve_language(option, env) == expected


def test_a_message_is_data_rendered_in_any_language_and_english_as_a_str():
    inner = _("hint: {hint}").format(hint=_("return a float"))
    joined = join_messages("; ", [inner, "plain text"]) + "!"
    assert joined == "hint: return a float; plain text!"  # as a str: English
    assert render(joined, "zh").startswith("提示：") and render(joined, "zh").endswith("; plain text!")
    rebuilt = Message.from_data(json.loads(json.dumps(joined.to_data())))
    assert render(rebuilt, "zh") == render(joined, "zh") and rebuilt == joined
    assert render(pickle.loads(pickle.dumps(joined)), "zh") == render(joined, "zh")
    assert render(ngettext("{n} file", "{n} files", 1).format(n=1), "en") == "1 file"


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(monkeypatch):
    import graders.i18n as i18n

    class Broken:
        def gettext(self, message: str) -> str:
            return "{nope}"

    monkeypatch.setattr(i18n, "translator", lambda lang: Broken())
    assert render(_("got {x}").format(x=1), "zh") == "got 1"


def test_mismatch_reads_in_the_chosen_language():
    def fail() -> Mismatch:
        with pytest.raises(Mismatch) as info:
            expect_tensor(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]), name="softmax(x)")
        return info.value

    mismatch = fail()
    assert render(mismatch.message, "zh").startswith("softmax(x)：误差最大的元素（位置 [1]）：期望 3，得到 2")
    assert mismatch.message.startswith("softmax(x): worst element at index [1]: expected 3, got 2")


def test_assignment_text_and_hidden_hints_come_from_the_assignments_catalogs():
    from graders.core.spec import load_assignment

    spec = load_assignment("hw03")
    assert render(_(spec.title), "zh") == "softmax 的反向传播、指数加权平均、优化器的更新步、随机失活的缩放"
    assert render(_("AdaGrad accumulates g*g (the squared gradient), not |g|"), "zh") == \
        "AdaGrad 累加的是 g*g（梯度的平方），不是 |g|"


def test_placeholders_are_named_fields_and_printf_names():
    assert placeholders("{name!r} is {value:.3f}; {{literal}} %(prog)s") == {"name", "value", "prog"}


def test_engine_catalog_holds_no_hidden_suite_text():
    """The wheel ships graders/locale: hidden hints must live in graders/hwNN/locale only."""
    engine = (ROOT / "graders/locale/zh_CN/LC_MESSAGES/graders.po").read_text(encoding="utf-8")
    assert "AdaGrad accumulates" not in engine and "you dropped the" not in engine


def test_hw02_hints_and_keys_read_in_chinese():
    """hw02's answer-key hints, known-wrong hints and public test names come from its two catalogs."""
    import numpy as np

    from graders.core.spec import load_assignment
    from graders.hw02 import wrong

    spec = load_assignment("hw02")
    a2, t = np.array([[0.75, 0.77]]), np.array([[0.01, 0.99]])
    assert render(_(spec.title), "zh") == "手推反向传播：激活函数、2-2-2 sigmoid 网络、均方误差与 sigmoid 的求导"
    assert render(_("sign error: dL/da_2 = a_2 - t"), "zh") == "符号错误：dL/da_2 = a_2 - t"
    assert "课程的损失带有 1/2：sum((a2 - t)**2) / 2" in [render(h, "zh") for h in wrong.loss_mistakes(a2, t)]
    assert render(_("a2 of the course network"), "zh") == "课程示例网络的 a2"
    assert "the course loss has a 1/2: sum((a2 - t)**2) / 2" in wrong.loss_mistakes(a2, t)


def test_hw04_accuracy_confusion_matrix_and_hints_read_in_chinese():
    """hw04's verdict: accuracy, credit, the confusion matrix (aligned) and the hints come from its catalogs."""
    import numpy as np

    from graders.core.spec import load_assignment
    from graders.hw04 import judge
    from graders.hw04.splits import COURSE, Split

    spec = load_assignment("hw04")
    v = judge.Verdict(0.9615, 1923, 2000, np.diag([498, 487, 480, 458]), 0.95)
    split = Split(None, None, None, None, COURSE, "手机价格预测.csv")
    assert render(_(spec.title), "zh") == "手机价格分类（留出集上的准确率 >= 0.97）"
    text = render(judge.message(v, 0.97, 12.3, "cpu", split.describe()), "zh")
    assert render(judge.hint(v), "zh").startswith("差一点了：用学习率衰减")
    assert text.startswith("在按课程方式从 手机价格预测.csv 划分出的测试集上的准确率为 0.9615（1923/2000）；"
                           "目标 0.97：得到 95% 的分数；在 cpu 上训练用时 12.3 秒\n混淆矩阵")
    head, *rows = text.splitlines()[2:]
    assert len({cell_len(line) for line in (head, *rows)}) == 1
    assert split.source == "the course split of 手机价格预测.csv"  # manifests stay English
