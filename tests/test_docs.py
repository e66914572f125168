"""Guards that keep every plugin hook documented and tested (Datasette's manner)."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from service import hookspecs

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_DOC = ROOT / "docs" / "plugins.md"
TESTS = ROOT / "tests"
HOOK_PREFIX = "ohjaamo_"


def hook_specs() -> dict[str, Callable[..., object]]:
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith(HOOK_PREFIX)
    }


def signature_text(name: str, function: Callable[..., object]) -> str:
    """`name(arg, arg)`, the form the documentation shows a hook in."""
    return f"{name}({', '.join(inspect.signature(function).parameters)})"


def documented_headings() -> set[str]:
    headings = re.findall(r"^#{1,6}\s+`?([\w.]+)`?\s*$", PLUGINS_DOC.read_text("utf-8"), re.M)
    return set(headings)


def code_blocks() -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", PLUGINS_DOC.read_text("utf-8"), re.M | re.S)


def names_of_test_functions() -> set[str]:
    names: set[str] = set()
    for path in TESTS.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        names.update(
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        )
    return names


HOOKS = sorted(hook_specs())


def test_hook_specs_are_found_and_marked() -> None:
    marker = f"{hookspecs.hookspec.project_name}_spec"
    assert HOOKS
    unmarked = [hook for hook in HOOKS if not hasattr(hook_specs()[hook], marker)]
    assert not unmarked, f"functions named like hooks but not marked @hookspec: {unmarked}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_documentation_heading(hook: str) -> None:
    assert hook in documented_headings(), f"docs/plugins.md needs a heading `{hook}`"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_documented_signature(hook: str) -> None:
    signature = signature_text(hook, hook_specs()[hook])
    lines = {line.strip() for block in code_blocks() for line in block.splitlines()}
    assert signature in lines, f"docs/plugins.md needs `{signature}` on its own in a code block"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook: str) -> None:
    assert any(hook in name for name in names_of_test_functions()), (
        f"no test function in tests/ has `{hook}` in its name"
    )


def test_documented_hooks_exist() -> None:
    documented = {heading for heading in documented_headings() if heading.startswith(HOOK_PREFIX)}
    assert documented <= set(HOOKS), (
        f"docs describe hooks that do not exist: {documented - set(HOOKS)}"
    )
