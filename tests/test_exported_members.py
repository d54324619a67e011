"""The public API: ``__all__`` is exactly what the package exports, each name reports the
``symptomatic`` module, and every type a user receives is exported."""

from __future__ import annotations

import symptomatic


def test_all_is_exactly_the_exports() -> None:
    names = {n for n in dir(symptomatic) if not n.startswith("_")} | {"__version__"}
    assert set(symptomatic.__all__) == names
    for name in symptomatic.__all__:
        assert getattr(symptomatic, name) is not None


def test_public_names_report_the_package() -> None:
    for name in symptomatic.__all__:
        value = getattr(symptomatic, name)
        if isinstance(value, type) or callable(value):
            assert getattr(value, "__module__", "symptomatic") == "symptomatic", name


def test_every_type_a_user_receives_is_exported() -> None:
    import dataclasses
    import typing

    exported = {getattr(symptomatic, n) for n in symptomatic.__all__}
    for root in (symptomatic.Result, symptomatic.Question, symptomatic.Case):
        for f in dataclasses.fields(root):
            hint = typing.get_type_hints(root)[f.name]
            for arg in (*typing.get_args(hint), hint):
                for inner in (*typing.get_args(arg), arg):
                    if dataclasses.is_dataclass(inner):
                        assert inner in exported, (root.__name__, f.name, inner)


def test_import_does_no_work() -> None:
    import subprocess
    import sys

    code = (
        "import sys, symptomatic; "
        "print(sorted(m for m in sys.modules if m.startswith('symptomatic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['symptomatic']"
