"""Files the site serves from npm packages: check they are installed, copy them into the site.

A plain module (not a hook) shared by `formulas.py` (KaTeX), `live.py` (Pyodide, Graphviz) and
`figures.py` (panzoom); `esbuild()` runs the pinned esbuild for `live.py` (bundling the live code)
and `player.py` (minifying the player).
Nothing third-party is committed or fetched at build time: `npm ci` puts the pinned packages in
`node_modules/`, and the build copies just the files the pages load.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


def require(package: str, names: tuple[str, ...]) -> Path:
    """The package's folder in node_modules; a clear build error if any of `names` is missing."""
    folder = NODE_MODULES / package
    missing = [name for name in names if not (folder / name).exists()]
    if missing:
        raise PluginError(
            f"node_modules/{package} is missing {', '.join(missing)}: run 'npm ci' "
            "(make build and make serve do it for you)"
        )
    return folder


def copy(package: str, names: tuple[str, ...], target: Path) -> None:
    """Copy files or folders `names` of an npm package into `target`, keeping their paths."""
    folder = require(package, names)
    for name in names:
        source, destination = folder / name, target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, destination)


def esbuild(*arguments: str, what: str) -> None:
    """Run node_modules/.bin/esbuild; a build error naming `what` if it is missing or fails."""
    executable = require(".bin", ("esbuild",)) / "esbuild"
    done = subprocess.run(  # noqa: S603 - our own pinned tool, arguments from the hooks
        [str(executable), *arguments, "--log-level=warning"],
        cwd=NODE_MODULES.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PluginError(f"esbuild could not build {what}:\n{done.stderr.strip()}")
