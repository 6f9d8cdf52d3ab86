"""A notebook downloaded from the site runs anywhere: alone, in a fresh Python without this project.

Each notebook is downloaded from the built site (served on 127.0.0.1), copied alone into an empty
folder and executed with nbclient in a fresh virtual environment that has what a learner's Jupyter
has (ipykernel, numpy, matplotlib, graphviz, torch) but not this package. Its set-up cell must
install the engine from the wheel the site publishes (MICROGRAD_NOTES_SITE points it at the local
server), and every cell must pass. With the original `micrograd` from PyPI installed instead, the
set-up cell must stop and say so, and install nothing over it.

The fresh venv is created once and cached in .cache/notebook-venv/<key>/, keyed on the Python
version and the pins (the versions this venv runs the site's build with; torch keeps its local
label, 2.13.0+cpu, so pip can only take the CPU build). Each notebook runs in a venv of its own,
made in a moment, that sees the cached venv's packages (a .pth file): what the set-up cell
installs lands there, so every run starts without the package and two can run at once.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import engine_wheel  # hooks/engine_wheel.py
import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
VENV_CACHE = ROOT / ".cache" / "notebook-venv"
# What a learner's Jupyter has; the project's own package is what the set-up cell must bring.
LEARNER_PACKAGES = ("ipykernel", "numpy", "matplotlib", "graphviz", "torch")
PYPI_MICROGRAD = "micrograd==0.1.0"
WORKERS = 2
CELL_TIMEOUT = 600

pytestmark = pytest.mark.site


def _load_setup_script():  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(
        "notebook_setup", ROOT / "scripts" / "notebook_setup.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


notebook_setup = _load_setup_script()


def _pins() -> list[str]:
    return [f"{name}=={metadata.version(name)}" for name in LEARNER_PACKAGES]


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="session")
def fresh_venv() -> Path:
    """A virtual environment with the learner's packages only, made once and cached."""
    pins = _pins()
    key = hashlib.sha256("\n".join([sys.version, *pins]).encode()).hexdigest()[:16]
    venv = VENV_CACHE / key
    if (venv / "ready").exists():
        return _without_micrograd(venv)
    # Another key's venv is stale (pins changed): about 1 GB each, so keep only the current one.
    for stale in VENV_CACHE.glob("????????????????"):
        shutil.rmtree(stale)
    started = time.perf_counter()
    _run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run([python, "-m", "pip", "install", "--quiet", *pins], env=env)
    (venv / "ready").write_text(f"{time.perf_counter() - started:.0f} s to create\n")
    return _without_micrograd(venv)


def _without_micrograd(venv: Path) -> Path:
    code = "import importlib.util; print(importlib.util.find_spec('micrograd'))"
    found = _run([str(venv / "bin" / "python"), "-c", code]).stdout.strip()
    assert found == "None", f"the fresh venv must not have micrograd, but has {found}"
    return venv


def _layer(venv: Path, folder: Path) -> Path:
    """A new, empty venv in `folder` that sees `venv`'s packages, so that what a run installs
    lands in this one only: every run starts from the same state and two can run at once."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    (base,) = (venv / "lib").glob("python3*/site-packages")
    (site_packages,) = (folder / "lib").glob("python3*/site-packages")
    # addsitedir also runs the base's own .pth files, as the base venv's Python would.
    line = f"import site; site.addsitedir({str(base)!r})\n"
    (site_packages / "_fresh_venv_base.pth").write_text(line)
    return folder


def _python_reports(own_venv: Path, code: str) -> dict:
    result = _run([str(own_venv / "bin" / "python"), "-c", code])
    return json.loads(result.stdout)


INSTALLED = """\
import json
from importlib import metadata
names = {d.metadata["Name"].lower() for d in metadata.distributions()}
import micrograd
print(json.dumps({"names": sorted(names), "micrograd": micrograd.__file__}))
"""


def _execute(
    notebook: Path, own_venv: Path, site_url: str, workdir: Path, path: str | None = None
) -> str | None:
    """Run `notebook` in a kernel of `own_venv`'s Python; return None, or what failed."""
    kernels = workdir / "kernels" / "fresh"
    kernels.mkdir(parents=True)
    argv = [str(own_venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "fresh venv", "language": "python"}
    (kernels / "kernel.json").write_text(json.dumps(spec))
    manager = KernelManager(
        kernel_name="fresh",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels.parent)]),
    )
    # The learner's environment: nothing of this checkout's (its path, venv or matplotlibrc).
    project_only = ("PYTHONPATH", "VIRTUAL_ENV", "MATPLOTLIBRC")
    env = {k: v for k, v in os.environ.items() if k not in project_only}
    env["MICROGRAD_NOTES_SITE"] = site_url
    env["PATH"] = f"{own_venv / 'bin'}{os.pathsep}{env.get('PATH', '') if path is None else path}"
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        km=manager,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(notebook.parent)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute(env=env)
    except CellExecutionError as error:
        return f"{error.ename}: {error.evalue}"
    finally:
        nbformat.write(nb, workdir / f"executed-{notebook.name}")
    return None


def _download(site_url: str, built_site: Path, name: str, folder: Path) -> Path:
    """Download `name` the way a learner does: the page's "Download notebook" link."""
    stem = Path(name).stem
    page = (built_site / "notebooks" / stem / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="md-button" href="([^"]+\.ipynb)" download>', page)
    assert link, f"notebooks/{stem}/ has no download link"
    folder.mkdir(parents=True)
    target = folder / link[1]
    with urllib.request.urlopen(f"{site_url}notebooks/{stem}/{link[1]}") as response:
        target.write_bytes(response.read())
    return target


@pytest.fixture(scope="session")
def downloaded_runs(fresh_venv: Path, built_site: Path, site_url: str, tmp_path_factory) -> dict:  # noqa: ANN001
    """Every notebook, downloaded and run alone in its own fresh venv; two at a time."""

    def run(source: Path) -> dict:
        workdir = tmp_path_factory.mktemp(source.stem)
        notebook = _download(site_url, built_site, source.name, workdir / "alone")
        own_venv = _layer(fresh_venv, workdir / "venv")
        try:
            started = time.perf_counter()
            error = _execute(notebook, own_venv, site_url, workdir)
            seconds = time.perf_counter() - started
            after = _python_reports(own_venv, INSTALLED) if error is None else None
            return {
                "error": error,
                "after": after,
                "venv": str(own_venv),
                "seconds": seconds,
            }
        finally:
            shutil.rmtree(own_venv, ignore_errors=True)

    started = time.perf_counter()
    # Last chapters first: they train networks and take longest (the two-moons demo most), so
    # the short ones fill the other worker's time instead of waiting behind them at the end.
    order = NOTEBOOKS[::-1]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = dict(zip([nb.name for nb in order], pool.map(run, order), strict=True))
    results = {nb.name: results[nb.name] for nb in NOTEBOOKS}
    times = ", ".join(f"{name[:2]} {run['seconds']:.0f}" for name, run in results.items())
    total = time.perf_counter() - started
    print(f"\n{len(results)} downloaded notebooks ran in {total:.0f} s (seconds each: {times})")
    return results


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_downloaded_notebook_runs_alone_in_a_fresh_venv(
    downloaded_runs: dict, notebook: Path
) -> None:
    run = downloaded_runs[notebook.name]
    assert run["error"] is None, f"{notebook.name} failed: {run['error']}"
    # The set-up cell installed this project's package into that venv, from the wheel.
    names = run["after"]["names"]
    assert "micrograd-notes" in names
    assert "micrograd" not in names, "the original micrograd from PyPI must never be installed"
    assert run["after"]["micrograd"].startswith(run["venv"])


def test_set_up_cell_recognises_the_original_micrograd_from_pypi(
    fresh_venv: Path, site_url: str, tmp_path: Path
) -> None:
    # The original micrograd, as a learner who typed `pip install micrograd` has it: the real
    # package from PyPI, downloaded once into the cache, installed only into this run's venv.
    wheels = VENV_CACHE / "pypi-micrograd"
    if not wheels.exists():
        download = ["--quiet", "--no-deps", "--dest", str(wheels.with_suffix(".partial"))]
        _run([sys.executable, "-m", "pip", "download", *download, PYPI_MICROGRAD])
        wheels.with_suffix(".partial").replace(wheels)
    own_venv = _layer(fresh_venv, tmp_path / "venv")
    try:
        _run(
            [
                str(own_venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                *map(str, sorted(wheels.iterdir())),
            ]
        )
        nb = nbformat.read(NOTEBOOKS[0], as_version=4)
        first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
        nb.cells = [first_code]
        path = tmp_path / "alone" / NOTEBOOKS[0].name
        path.parent.mkdir()
        nbformat.write(nb, path)
        error = _execute(path, own_venv, site_url, tmp_path)
        assert error is not None and error.startswith("ImportError: ")
        assert "original one from PyPI" in error and "%pip uninstall -y micrograd" in error
        names = _python_reports(own_venv, INSTALLED)["names"]
        assert "micrograd" in names and "micrograd-notes" not in names  # nothing installed over it
    finally:
        shutil.rmtree(own_venv, ignore_errors=True)


# -- the wheel itself ---------------------------------------------------------------------------


def _site_wheel(built_site: Path) -> Path:
    wheel = built_site / engine_wheel.wheel_path()
    assert wheel.exists(), f"the site publishes no {engine_wheel.wheel_path()}"
    return wheel


def test_wheel_holds_exactly_the_engine_sources(built_site: Path) -> None:
    archive = zipfile.ZipFile(_site_wheel(built_site))
    package = {n: archive.read(n) for n in archive.namelist() if not n.startswith("micrograd_")}
    engine = ROOT / "src" / "micrograd"
    sources = {
        f"micrograd/{p.relative_to(engine).as_posix()}": p.read_bytes()
        for p in engine.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert package == sources
    assert archive.namelist()[-1] == "micrograd_notes-0.1.0.dist-info/RECORD"


def test_wheel_metadata_matches_pyproject(built_site: Path) -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    archive = zipfile.ZipFile(_site_wheel(built_site))
    dist_info = f"micrograd_notes-{project['version']}.dist-info"
    fields = archive.read(f"{dist_info}/METADATA").decode().splitlines()
    assert f"Name: {project['name']}" in fields
    assert f"Version: {project['version']}" in fields
    assert "Provides-Extra: graph" in fields
    for requirement in project["optional-dependencies"]["graph"]:
        assert f'Requires-Dist: {requirement}; extra == "graph"' in fields
    assert "Tag: py3-none-any" in archive.read(f"{dist_info}/WHEEL").decode().splitlines()


def test_wheel_record_lists_every_file_with_its_sha256(built_site: Path) -> None:
    import base64

    archive = zipfile.ZipFile(_site_wheel(built_site))
    record_name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
    rows = [line.split(",") for line in archive.read(record_name).decode().splitlines()]
    assert sorted(row[0] for row in rows) == sorted(archive.namelist())
    for name, digest, size in rows:
        if name == record_name:
            assert digest == size == ""
            continue
        data = archive.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={expected}", len(data))


def test_wheel_is_the_same_bytes_when_built_again(built_site: Path, tmp_path: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    repo_url = re.search(r"^repo_url:\s*(\S+)", config, re.M)[1]
    first = engine_wheel.build_wheel(tmp_path / "a", notebook_setup.site_url(), repo_url)
    second = engine_wheel.build_wheel(tmp_path / "b", notebook_setup.site_url(), repo_url)
    assert first.read_bytes() == second.read_bytes() == _site_wheel(built_site).read_bytes()


def test_wheel_installs_with_pip(built_site: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(_site_wheel(built_site)),
        ]
    )
    code = "import micrograd; print(micrograd.__file__, micrograd.Value(2.0).tanh().data)"
    result = _run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"]
    )
    path, value = result.stdout.split()
    assert path == str(target / "micrograd" / "__init__.py")
    assert float(value) == pytest.approx(0.9640275800758169)


def test_notebook_pages_say_what_the_set_up_cell_does(built_site: Path) -> None:
    for notebook in NOTEBOOKS:
        page_dir = built_site / "notebooks" / notebook.stem
        page = (page_dir / "index.html").read_text(encoding="utf-8")
        line = re.search(r'<p class="notebook-setup">(.*?)</p>', page, re.S)
        assert line, f"notebooks/{notebook.stem}/ does not say what its first cell does"
        assert "first code cell installs" in line[1]
        wheel = re.search(r'href="([^"]+\.whl)"', line[1])
        assert wheel and (page_dir / wheel[1]).resolve() == _site_wheel(built_site).resolve()


def test_set_up_cell_does_nothing_where_the_package_is_installed(tmp_path: Path) -> None:
    import notebooks as notebook_hook  # hooks/notebooks.py: the kernel the site's build uses

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(notebook_setup.setup_source(g)) for g in (False, True)]
    source = tmp_path / "setup.ipynb"
    nbformat.write(nb, source)
    notebook_hook.execute(source, tmp_path / "out" / "setup.ipynb")
    executed = nbformat.read(tmp_path / "out" / "setup.ipynb", as_version=4)
    assert [cell.outputs for cell in executed.cells] == [[], []]


def test_set_up_cell_says_how_to_get_dot_when_it_is_missing(tmp_path: Path) -> None:
    venv = Path(sys.prefix)  # this venv: micrograd installed, so only the check for `dot` speaks
    no_dot = tmp_path / "empty-bin"
    no_dot.mkdir()
    assert shutil.which("dot", path=f"{venv / 'bin'}{os.pathsep}{no_dot}") is None
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(notebook_setup.setup_source(graphs=True))]
    path = tmp_path / "alone" / "graphs.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    assert _execute(path, venv, "http://127.0.0.1:9/", tmp_path, path=str(no_dot)) is None
    executed = nbformat.read(tmp_path / "executed-graphs.ipynb", as_version=4)
    text = "".join(output.get("text", "") for output in executed.cells[0].outputs)
    assert "Graphviz's `dot` program, which is not installed" in text
    assert "sudo apt-get install graphviz" in text and "(Colab has it)" in text
