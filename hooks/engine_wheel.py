"""MkDocs hook: publish the engine as a wheel with the site, for notebooks run outside the site.

Every notebook's first code cell runs `%pip install <site_url>assets/<wheel name>` when `micrograd`
is not importable (a learner's Jupyter or Colab). The wheel is written here, at build time, from
`src/micrograd` and the `[project]` table of `pyproject.toml`; it is never committed. The name
and place are stable: `assets/micrograd_notes-<version>-py3-none-any.whl`.

A wheel is a zip archive: the package's files, plus `<name>-<version>.dist-info/` with METADATA
(name, version, dependencies), WHEEL (the format and the `py3-none-any` tag) and RECORD (a sha256
of every file). Writing it by hand keeps the build offline and deterministic: the same sources
give the same bytes (sorted members, one fixed timestamp, fixed permissions).
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
import tomllib
import zipfile
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "micrograd"
PYPROJECT = ROOT / "pyproject.toml"
# Every member gets this timestamp (the lecture's release date), so rebuilding changes no byte.
ZIP_DATE = (2022, 8, 16, 0, 0, 0)
TAG = "py3-none-any"


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def wheel_name() -> str:
    """The wheel's file name, e.g. micrograd_notes-0.1.0-py3-none-any.whl (PEP 427 naming)."""
    project = _project()
    return f"{project['name'].replace('-', '_')}-{project['version']}-{TAG}.whl"


def wheel_path() -> str:
    """Where the wheel lives in the site, relative to site_url."""
    return f"assets/{wheel_name()}"


def package_files(package: Path = PACKAGE) -> list[Path]:
    """The engine's files as they go into the wheel: everything but bytecode caches."""
    return sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def _metadata(project: dict, site_url: str, repo_url: str) -> str:
    lines = [
        "Metadata-Version: 2.4",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        f"License-Expression: {project['license']}",
        "License-File: LICENSE",
    ]
    if site_url:
        lines.append(f"Project-URL: Documentation, {site_url}")
    if repo_url:
        lines.append(f"Project-URL: Source, {repo_url}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {req}; extra == "{extra}"' for req in requirements]
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(directory: Path, site_url: str = "", repo_url: str = "") -> Path:
    """Write the wheel into `directory` and return its path."""
    project = _project()
    dist_info = f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    members: list[tuple[str, bytes]] = [
        (f"micrograd/{path.relative_to(PACKAGE).as_posix()}", path.read_bytes())
        for path in package_files()
    ]
    wheel = "Wheel-Version: 1.0\nGenerator: micrograd-notes (hooks/engine_wheel.py)\n"
    wheel += f"Root-Is-Purelib: true\nTag: {TAG}\n"
    members += [
        (f"{dist_info}/METADATA", _metadata(project, site_url, repo_url).encode()),
        (f"{dist_info}/WHEEL", wheel.encode()),
        (f"{dist_info}/licenses/LICENSE", (ROOT / "LICENSE").read_bytes()),
    ]
    record = [_record_line(name, data) for name, data in members] + [f"{dist_info}/RECORD,,"]
    members.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / wheel_name()
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # rw-r--r--, whatever the checkout's umask
            archive.writestr(info, data)
    partial.replace(target)
    return target


# The wheel is written here at each build and copied into the site by MkDocs like any other file:
# a File that MkDocs knows about, so links to it are checked and `mkdocs serve` serves it.
_build_dir: tempfile.TemporaryDirectory | None = None


def on_files(files, config):  # noqa: ANN001, ANN201 - MkDocs hook
    global _build_dir
    _build_dir = tempfile.TemporaryDirectory(prefix="micrograd-wheel-")  # the old one is removed
    src_dir = Path(_build_dir.name)
    build_wheel(src_dir / Path(wheel_path()).parent, config["site_url"] or "", config["repo_url"])
    files.append(
        File(
            wheel_path(),
            src_dir=str(src_dir),
            dest_dir=config["site_dir"],
            use_directory_urls=config["use_directory_urls"],
        )
    )
    return files
