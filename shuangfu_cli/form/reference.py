"""Loading indicators.yaml (Attachment 7) and towns.yaml (reference data), checked at start."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from schemas import IndicatorRegistry, Reference
from shuangfu_cli.form import reference_cache as refcache
from shuangfu_cli.form.layout import form_layout

#: Where indicators.yaml and towns.yaml are: inside the package when installed from a wheel
#: (pyproject.toml puts them there), at the top of the repository in a clone (no symlinks:
#: a Windows checkout has none).
_PACKAGED = Path(__file__).parents[1] / "data"
DATA = _PACKAGED if (_PACKAGED / "indicators.yaml").is_file() else Path(__file__).parents[2]
ROOT_INDICATORS = DATA / "indicators.yaml"


class ConfigError(Exception):
    """A reference file is missing, malformed or disagrees with the schema."""


#: Every township of the country as JSON is about 40 MB: a bigger file is not reference data.
MAX_REFERENCE_BYTES = 200 << 20


def _load(model, path: Path):
    """A reference file validated as `model`: YAML, or JSON (which is YAML too). JSON text is
    validated by pydantic as it is parsed, with no Python objects in between: some 40 times
    faster than YAML and a third of the memory — the format for thousands of towns."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_REFERENCE_BYTES:
                raise ConfigError(
                    f"{path}: {size >> 20} MB, too large to be reference data "
                    f"(at most {MAX_REFERENCE_BYTES >> 20} MB)"
                )
            raw = fh.read()
        if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise ConfigError(
                f"{path}: a workbook: the command line's --reference reads it (or write it as "
                "YAML: shuangfu reference export FILE.yaml --reference WORKBOOK)"
            )
        text = raw.decode("utf-8-sig") if not raw.lstrip().startswith(b"{") else None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        if text is None:  # JSON: validated from the bytes, no Python text in between
            try:
                return model.model_validate_json(raw)
            except ValidationError as exc:
                if exc.errors()[0]["type"] != "json_invalid":
                    raise _invalid(exc, path) from exc
                # not JSON after all (YAML's flow style): YAML says what is wrong
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        kind = model.__name__.lower()
        cached = refcache.get(kind, raw)
        if cached is not None:
            try:
                return model.model_validate_json(cached)
            except ValidationError:  # a damaged entry: the file itself decides
                pass
        data = _parse_yaml(text, path)
        try:
            result = model.model_validate(data)
        except ValidationError as exc:
            raise _invalid(exc, path) from exc
        _remember(model, kind, raw, data, result)
        return result
    except RecursionError as exc:
        raise ConfigError(f"{path}: nested too deeply to be reference data") from exc


def _parse_yaml(text: str, path: Path):
    import yaml

    # libyaml's C parser where PyYAML was built with it (7x faster than the pure-Python one)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc


def _remember(model, kind: str, raw: bytes, data, result) -> None:
    """Cache the parsed file as JSON, if JSON gives back exactly what YAML gave (a YAML date or
    a non-string key would not survive: such a file is simply not cached)."""
    import json

    try:
        as_json = json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
        if model.model_validate_json(as_json) != result:
            return
    except (TypeError, ValueError, ValidationError):
        return
    refcache.put(kind, raw, as_json)


def _invalid(exc: ValidationError, path: Path) -> ConfigError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return ConfigError(f"{path}: {where}: {first['msg']}")


def check_registry(registry: IndicatorRegistry) -> None:
    """The registry and the schema must hold the same codes and the same limits."""
    figures = form_layout().figures
    codes = set(registry.by_code())
    missing = [c for c in figures if c not in codes]
    if missing:
        raise ConfigError(f"indicators.yaml has no entry for schema code(s): {', '.join(missing)}")
    extra = [c for c in registry.by_code() if c not in figures]
    if extra:
        raise ConfigError(f"indicators.yaml has code(s) the schema does not: {', '.join(extra)}")
    for ind in registry.indicators:
        fig = figures[ind.code]
        if tuple(ind.not_above) != fig.not_above or tuple(ind.not_below) != fig.not_below:
            raise ConfigError(
                f"indicators.yaml: {ind.code}: not_above/not_below "
                f"{ind.not_above}/{ind.not_below} differ from the schema's "
                f"{list(fig.not_above)}/{list(fig.not_below)}"
            )
        if ind.unit != fig.unit:
            raise ConfigError(
                f"indicators.yaml: {ind.code}: unit {ind.unit} differs from the form's {fig.unit}"
            )


@cache
def load_registry(path: Path | None = None) -> IndicatorRegistry:
    path = Path(path or os.environ.get("SHUANGFU_INDICATORS") or DATA / "indicators.yaml")
    registry = _load(IndicatorRegistry, path)
    check_registry(registry)
    return registry


@cache
def load_reference(path: Path | None = None) -> Reference:
    path = Path(path or os.environ.get("SHUANGFU_REFERENCE") or DATA / "towns.yaml")
    reference = _load(Reference, path)
    if len(reference.towns) > 1000:
        _give_back_freed_memory()
    return reference


def registry_for(reference: Reference, registry: IndicatorRegistry | None = None):
    """The indicator registry as `reference`'s units are judged (its own targets, bounds scaled
    to its units: :meth:`Reference.registry_for_units`). Every run pairs the two through here."""
    registry = registry or load_registry()
    unknown = [code for code in reference.targets if code not in registry.by_code()]
    if unknown:
        raise ConfigError(
            f"{reference.district}: targets: no such indicator code(s): {', '.join(unknown)}"
        )
    return reference.registry_for_units(registry)


def _give_back_freed_memory() -> None:
    """Parsing a large reference leaves the C heap with megabytes freed but kept (for 5,000
    towns, 19 MB beside 9 MB of data); glibc's malloc_trim returns them to the system before
    the run begins. Elsewhere there is nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        pass


def indicator_names() -> dict[str, tuple[str, str]]:
    return {i.code: (i.name_zh, i.name_en) for i in load_registry().indicators}
