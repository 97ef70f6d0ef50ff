"""The code in the documentation runs: docs cannot silently rot.

Every ```` ```python ```` block of a page runs, in order, in one namespace per
page (as a reader would paste them into one session), in a fresh temporary
working directory. Blocks fenced as ```` ```py ```` are shown but not run (code
that needs a cluster, or fragments); ```` ```bash ```` and ```` ```text ````
blocks are never run. The generated benchmark reports (``docs/benchmarks``)
are not checked here.
"""

import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = sorted(
    path
    for path in DOCS.rglob("*.md")
    if path.relative_to(DOCS).parts[0] != "benchmarks"
)
README = REPO / "README.md"
#: A shell code block of a Markdown text.
SHELL_BLOCK = re.compile(r"^```(?:bash|sh|shell|console)[ \t]*\n(.*?)^```", re.S | re.M)
# A fence of three or more backticks, the info string "python" and nothing
# else, up to the matching closing fence at the same indentation.
PYTHON_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})python[ \t]*\n"
    r"(?P<code>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a Markdown text: (line number, dedented code)."""
    blocks = []
    for match in PYTHON_BLOCK.finditer(text):
        indent = len(match["indent"])
        lines = match["code"].splitlines()
        code = "\n".join(line[indent:] for line in lines)
        blocks.append((text.count("\n", 0, match.start()) + 2, code))
    return blocks


def test_block_extraction():
    text = (
        "intro\n```python\na = 1\n```\n\n"
        "```py\nskipped\n```\n"
        "    ```python\n    b = 2\n    ```\n"
    )
    assert python_blocks(text) == [(3, "a = 1"), (10, "b = 2")]


def test_slow_pages_exist():
    """A renamed page must not silently leave the slow list (and the tests)."""
    assert all((REPO / name).is_file() for name in SLOW_PAGES)


def test_the_required_pages_have_code():
    pages = {path.relative_to(DOCS).as_posix() for path in PAGES}
    for page in ["quickstart.md", "examples/sum_threshold.md", "examples/waves.md"]:
        assert page in pages
        assert python_blocks((DOCS / page).read_text(encoding="utf-8"))


#: Pages whose code cross-validates many nets (20-40 s each on 2 cores): run
#: with the slow tests (``-m slow``), as the benchmarks are.
SLOW_PAGES = {
    "docs/examples/sum_threshold.md",
    "docs/examples/waves.md",
    "docs/examples/source_nets.md",
    "docs/user_guide/callbacks.md",
    "docs/user_guide/estimator.md",
    "docs/user_guide/losses.md",
    "docs/user_guide/migrating.md",
    "docs/user_guide/reproducibility.md",
}


def _page_param(path):
    name = path.relative_to(REPO).as_posix()
    marks = [pytest.mark.slow] if name in SLOW_PAGES else []
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize(
    "page",
    [
        _page_param(path)
        for path in [README, *PAGES]
        if python_blocks(path.read_text(encoding="utf-8"))
    ],
)
def test_page_code_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Subprocesses started by the examples must import this checkout too.
    pythonpath = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(pythonpath))
    namespace = {"__name__": "__main__"}
    for line, code in python_blocks(page.read_text(encoding="utf-8")):
        where = f"{page.relative_to(REPO)}:{line}"
        exec(compile(code, where, "exec"), namespace)  # noqa: S102


def test_readme_has_a_python_snippet():
    assert python_blocks(README.read_text(encoding="utf-8"))


def test_readme_has_exactly_two_shell_commands():
    """One installs and runs the main job, one installs and runs the tests."""
    blocks = SHELL_BLOCK.findall(README.read_text(encoding="utf-8"))
    commands = [line for block in blocks for line in block.splitlines() if line]
    assert commands == [
        'python3 -m pip install -e ".[report]" && python3 benchmarks/waves.py --quick',
        'python3 -m pip install -e ".[test]" && python3 -m pytest',
    ]
