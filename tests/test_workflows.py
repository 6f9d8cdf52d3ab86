"""The GitHub workflows: valid, audited, pinned, least privilege, CPU-only PyTorch."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it is in requirements-dev.txt)")
    return str(path)


def _load(path: Path) -> dict:
    # YAML 1.1 reads the key `on` as True; give it back its name.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_there_is_a_test_and_a_deploy_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "test.yml"]


def test_workflows_and_dependabot_config_match_their_schemas() -> None:
    checks = [
        ("vendor.github-workflows", [str(p) for p in WORKFLOWS]),
        ("vendor.dependabot", [str(ROOT / ".github" / "dependabot.yml")]),
    ]
    for schema, files in checks:
        result = subprocess.run(
            [_tool("check-jsonschema"), "--builtin-schema", schema, *files],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_even_when_pedantic() -> None:
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--persona=pedantic", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_full_commit_sha_with_its_version(workflow: Path) -> None:
    uses = re.findall(r"^\s*-?\s*uses:\s*(\S+)(.*)", workflow.read_text(encoding="utf-8"), re.M)
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.search(r"#\s*v\d+(\.\d+)*", rest), f"{action}: add the version as a comment"


def test_test_workflow_reads_only_and_runs_the_readme_test_command() -> None:
    workflow = _load(ROOT / ".github" / "workflows" / "test.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    assert "concurrency" in workflow
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == "make test" for step in steps)
    assert any("actions/cache@" in step.get("uses", "") for step in steps)


def test_deploy_workflow_grants_pages_rights_only_to_the_deploy_job() -> None:
    workflow = _load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(step.get("run") == "make build" for step in build["steps"])
    assert any("upload-pages-artifact@" in s.get("uses", "") for s in build["steps"])
    assert any("deploy-pages@" in s.get("uses", "") for s in deploy["steps"])


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_pytorch_comes_from_the_cpu_index_at_the_pinned_version(workflow: Path) -> None:
    text = workflow.read_text(encoding="utf-8")
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    assert pinned
    installs = re.findall(r"pip install .*torch.*", text)
    assert installs, "install the CPU wheel before `make` installs requirements.txt"
    for line in installs:
        assert f"torch=={pinned[1]}" in line
        assert "--index-url https://download.pytorch.org/whl/cpu" in line
