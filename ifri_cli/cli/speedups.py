"""Start-up shortcuts for Typer: no pydantic, no repeated annotation evaluation.

Recent Typer releases coerce each non-boolean parameter through a pydantic ``TypeAdapter``:
importing pydantic and building the adapters costs about as much as importing Typer and
Rich together, on every command, before ifri does anything. The values ifri takes are plain
(``str``, ``int``, ``float``, ``bool``, an ``Enum``, a list of ``str``): their valid forms are converted here
directly, and anything else (an invalid value, another type) goes to Typer's own coercion,
so that errors and unusual types behave exactly as Typer makes them.

Typer has no public way to do this, so this touches its internals. It is applied only when they
are exactly as expected (names and signatures); otherwise nothing changes and ifri is just
slower to start. At run time an unexpected failure inside the shortcut also hands the value to
Typer. ``tests/test_cli.py`` fails when the installed Typer no longer takes the shortcut, so a
Typer upgrade that breaks it is seen at once. (``python -X importtime -m ifri_cli toc FILE``
shows the difference: a cached command should import neither pydantic nor pdfminer.)
"""

from __future__ import annotations

import inspect
import re
from enum import Enum
from typing import Any

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NO = object()


def install() -> dict[str, bool]:
    """Both shortcuts below; each is applied only when Typer's internals are as expected.

    Returns which were applied: ``{"skip_pydantic": True, "resolve_annotations_once": True}``.
    """
    return {"skip_pydantic": skip_pydantic(), "resolve_annotations_once": resolve_annotations_once()}


def _parameters(function: Any) -> list[str] | None:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None


def resolve_annotations_once() -> bool:
    """Typer evaluates every string annotation of every command twice (``inspect.signature``
    and ``get_type_hints``), compiling each one, on every run. Most of ifri's are plain names
    (``FileArg``, ``bool``): resolve those by lookup, the rest by one ``eval``, before Typer
    looks, so that it finds objects instead of strings. Typer then asks a second time for each
    command: the first answer is given again."""
    try:
        from typer import main as typer_main
    except ImportError:
        return False
    original = getattr(typer_main, "get_params_from_function", None)
    if original is None:
        return False
    if getattr(original, "_ifri", False):
        return True
    if _parameters(original) != ["func"]:
        return False

    # Typer asks twice for each command's parameters (for the command, then for its callback),
    # and only reads what it gets: the second time is answered from the first
    seen: dict[Any, Any] = {}

    def get_params_from_function(func: Any) -> Any:
        found = seen.get(func)
        if found is None:
            _resolve(func)
            found = seen[func] = original(func)
        return found

    get_params_from_function._ifri = True  # type: ignore[attr-defined]
    typer_main.get_params_from_function = get_params_from_function
    return True


def _resolve(func: Any) -> None:
    import builtins

    annotations = getattr(func, "__annotations__", None)
    namespace = getattr(func, "__globals__", None)
    if not isinstance(annotations, dict) or not isinstance(namespace, dict):
        return
    for name, value in list(annotations.items()):
        if not isinstance(value, str):
            continue
        if value.isidentifier():
            if value in namespace:
                annotations[name] = namespace[value]
                continue
            if hasattr(builtins, value):
                annotations[name] = getattr(builtins, value)
                continue
        try:
            annotations[name] = eval(value, namespace)  # noqa: S307 - what get_type_hints does
        except Exception:  # noqa: BLE001 - leave it to Typer, which reports it properly
            continue


def skip_pydantic() -> bool:
    try:
        from typer import _coercion, core
        from typer._param_types import coerce_cli_choice
    except ImportError:
        return False
    parameter = getattr(core, "_TyperParameter", None)
    runtime = getattr(_coercion, "RuntimeParam", None)
    build = getattr(_coercion, "build_runtime_param", None)
    original = getattr(parameter, "get_runtime_param", None)
    if parameter is None or runtime is None or build is None or original is None:
        return False
    if getattr(original, "_ifri", False):
        return True
    expected = (
        (runtime, ["parameter_info", "annotation"]),
        (build, ["descriptor"]),
        (original, ["self"]),
        (coerce_cli_choice, ["value", "choices", "case_sensitive", "ctx"]),
        (getattr(runtime, "_coerce_value", None), ["self", "value", "param", "ctx"]),
    )
    if any(_parameters(function) != names for function, names in expected):
        return False

    class PlainParam(runtime):  # type: ignore[misc, valid-type]
        """Valid plain values converted here; everything else handed to Typer's own coercion,
        built only then (a missing option never needs it)."""

        def __init__(self, descriptor: Any) -> None:
            super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "plain", _is_plain(descriptor))
            object.__setattr__(self, "typer_param", None)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.plain:
                try:
                    converted = _plain(self.annotation, self.parameter_info, value, ctx, coerce_cli_choice)
                except Exception:  # noqa: BLE001 - a Typer that changed underneath: let it do the work
                    converted = _NO
                if converted is not _NO:
                    return converted
            if self.typer_param is None:
                object.__setattr__(self, "typer_param", build(self.descriptor))
            return self.typer_param._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            descriptor = getattr(self, "type_descriptor", None)
            if descriptor is None:
                return original(self)
            self._runtime_param = PlainParam(descriptor)
        return self._runtime_param

    get_runtime_param._ifri = True  # type: ignore[attr-defined]
    parameter.get_runtime_param = get_runtime_param
    return True


def _is_plain(descriptor: Any) -> bool:
    info = getattr(descriptor, "parameter_info", None)
    if info is None or getattr(descriptor, "file_annotation", None) is not None:
        return False
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return False
    if getattr(info, "clamp", False):
        return False
    annotation = descriptor.annotation
    return (
        annotation in (str, int, float, bool)
        or (isinstance(annotation, type) and issubclass(annotation, Enum))
        or annotation == list[str]
    )


def _plain(annotation: Any, info: Any, value: Any, ctx: Any, choose: Any) -> Any:
    if annotation is str:
        return value if isinstance(value, str) else _NO
    if annotation is bool:
        return value if isinstance(value, bool) else _NO
    if annotation == list[str]:
        items = [value] if not isinstance(value, (list, tuple)) else list(value)
        return items if all(isinstance(v, str) for v in items) else _NO
    if annotation in (int, float):
        if isinstance(value, bool):
            return _NO
        if isinstance(value, str) and (_INT if annotation is int else _FLOAT).fullmatch(value.strip()):
            number = annotation(value)
        elif isinstance(value, annotation) or (annotation is float and isinstance(value, int)):
            number = annotation(value)
        else:
            return _NO
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (low is not None and number < low) or (high is not None and number > high):
            return _NO
        return number
    try:
        return choose(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
    except ValueError:
        return _NO
