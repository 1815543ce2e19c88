from graders.core.symbolic import Block, extract_blocks

MD = """# hw03

Some prose.

```python
print("not a block")
```

```answer softmax_jacobian
\\frac{\\partial y_i}{\\partial x_j} = y_i(\\delta_{ij} - y_j)
```

```derivation softmax_jacobian
y_i = \\frac{e^{x_i}}{\\sum_k e^{x_k}}
= y_i
```
"""


def test_extract_answer_and_derivation():
    blocks = extract_blocks(MD)
    assert [b.kind for b in blocks] == ["answer", "derivation"]
    assert blocks[0] == Block("answer", "softmax_jacobian",
                              "\\frac{\\partial y_i}{\\partial x_j} = y_i(\\delta_{ij} - y_j)", 10)
    assert blocks[1].line == 14
    assert MD.splitlines()[blocks[1].line - 1].startswith("y_i =")


def test_other_fences_and_tildes_and_unclosed():
    md = "~~~answer a\nx_1\n~~~\n```text\nanswer b\n```\n```answer c\ny_1"
    blocks = extract_blocks(md)
    assert [(b.name, b.text, b.line) for b in blocks] == [("a", "x_1", 2), ("c", "y_1", 8)]


def test_notebook_cells_concatenated():
    cells = ["Intro", "```answer cross_entropy_softmax\ny_j - t_j\n```", "```answer softmax_backward\ny_j g_j\n```"]
    blocks = extract_blocks("\n\n".join(cells))
    assert [b.name for b in blocks] == ["cross_entropy_softmax", "softmax_backward"]
    assert blocks[1].text == "y_j g_j"


def test_info_string_needs_name():
    assert extract_blocks("```answer\nx\n```") == []
