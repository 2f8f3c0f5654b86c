"""The container image definition, checked without a container engine (none runs where the tests do).

What can go wrong without building: a COPY of a path that moved, a file `pip install .` needs copied
too late, the start command renamed, the image running as root, a health check on a missing route.
"""

from __future__ import annotations

import fnmatch
import json
import shlex
import tomllib
from pathlib import Path

from participation.cli import main

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined and comments dropped."""
    joined, current = [], ""
    for line in (ROOT / "Containerfile").read_text().splitlines():
        if line.strip().startswith("#"):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            if current.strip():
                joined.append(current.strip())
            current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in joined]


def ignored(path: str) -> bool:
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()]
    return any(
        fnmatch.fnmatch(path, p.rstrip("/")) or fnmatch.fnmatch(path, p.rstrip("/") + "/*")
        for p in patterns
        if p and not p.startswith("#")
    )


def copies() -> list[tuple[list[str], str, int]]:
    steps = instructions()
    return [(shlex.split(args)[:-1], shlex.split(args)[-1], i) for i, (op, args) in enumerate(steps) if op == "COPY"]


def test_the_image_starts_from_python_311_slim_and_runs_as_a_user():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [i for i, (op, _) in enumerate(steps) if op == "USER"]
    cmd = next(i for i, (op, _) in enumerate(steps) if op == "CMD")
    assert users and users[-1] < cmd
    assert steps[users[-1]][1] not in ("root", "0")


def test_every_copied_path_exists_and_reaches_the_build_context():
    for sources, _, _ in copies():
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
            assert not ignored(source), f"COPY {source}: excluded by .dockerignore"
    for secret_or_bulk in (".env", ".venv", "var", ".git", "tests"):
        assert ignored(secret_or_bulk), f"{secret_or_bulk} stays out of the build context"


def test_pip_install_has_what_pyproject_names_and_leaves_the_test_extra_out():
    steps = instructions()
    install = next(i for i, (op, args) in enumerate(steps) if op == "RUN" and "pip install" in args)
    assert shlex.split(steps[install][1])[-1] == ".", "the project itself, without extras"
    copied_before = {source for sources, _, i in copies() if i < install for source in sources}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = {
        "pyproject.toml",
        project["project"]["readme"],
        *(f"{module}.py" for module in project["tool"]["setuptools"]["py-modules"]),
        *(pattern.rstrip("*") for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]),
    }
    assert needed <= copied_before, f"copied after `pip install .`: {needed - copied_before}"


def test_templates_and_static_assets_are_in_the_image():
    destinations = {destination.rstrip("/") for _, destination, _ in copies()}
    assert {"./templates", "./static"} <= destinations


def test_the_command_is_the_real_serve_command_and_the_health_check_asks_healthz():
    steps = dict(instructions())
    command = json.loads(steps["CMD"])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert command[0] in project["project"]["scripts"]
    assert command[1] == "serve"
    serve = main.get_command(None, command[1])  # type: ignore[arg-type]
    options = serve.make_context(command[1], command[2:]).params  # click refuses unknown options
    assert options["host"] == "0.0.0.0", "reachable from outside the container"
    assert str(options["port"]) in steps["EXPOSE"].split()
    assert f"127.0.0.1:{options['port']}/healthz" in steps["HEALTHCHECK"]
