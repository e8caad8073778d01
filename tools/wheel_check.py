#!/usr/bin/env python
"""Check that a regular (non-editable) wheel install of faceattn can reproduce, from outside the repository.

Steps (each printed with its time; exit code 0 when every check passes, 1 otherwise):
1. copy the checkout's files (git: tracked + untracked, not ignored) to a temporary folder, as a fresh clone would have them;
2. build the wheel there: `pip wheel --no-deps --no-build-isolation` (no network, no download);
3. check the wheel: `faceattn/_data/` holds every file of `data_manifests/`, `profiles/*.yaml` and `nbs/repro/*.ipynb`
   (see setup.py), and its metadata declares the extras `repro` and `dev`;
4. install it with `pip install --no-deps --no-index` into a throw-away venv that sees this environment's packages
   (torch is not reinstalled). `venv --system-site-packages` made from a venv exposes the *base* interpreter's
   packages, not the venv's, so the check links this environment's site-packages with a `.pth` file instead: its own
   `.pth` files (among them the editable install's finder) do not run, so only the wheel's faceattn is importable;
5. from a folder outside the repository, with no FACEATTN_MANIFESTS / FACEATTN_REPRO_NBS and an empty Jupyter data
   folder (no kernel registered): `faceattn profiles` lists quick and standard, `manifests.reported('smanet')` has rows,
   the claims load, the reproduction notebooks are there, and papermill runs a notebook on kernel `python3` with
   this venv's interpreter and its faceattn.

Usage: python tools/wheel_check.py [--src CHECKOUT] [--keep]
"""
from __future__ import annotations

import argparse, json, os, re, shutil, site, subprocess, sys, tempfile, time, zipfile
from pathlib import Path

CHECKS: list[tuple[str, bool, str]] = []   # (what, passed, detail)


def check(what: str, passed: bool, detail: str = "") -> bool:
    CHECKS.append((what, bool(passed), detail))
    print(f"  [{'ok' if passed else 'FAIL'}] {what}" + (f": {detail}" if detail else ""), flush=True)
    return bool(passed)


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


def tail(p: subprocess.CompletedProcess, n: int = 8) -> str:
    return " | ".join((p.stdout + p.stderr).strip().splitlines()[-n:])


class Step:
    "Prints the step's name, then its time when it ends."
    def __init__(self, name: str): self.name = name
    def __enter__(self):
        print(f"- {self.name}", flush=True)
        self.t0 = time.perf_counter()
    def __exit__(self, *exc):
        print(f"  ({time.perf_counter() - self.t0:.1f} s)", flush=True)


def checkout_files(src: Path) -> list[Path]:
    "Files a fresh clone (plus uncommitted work) holds: git's tracked and untracked-but-not-ignored files."
    p = run(["git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    if p.returncode != 0: raise SystemExit(f"wheel_check: {src} is not a git checkout: {tail(p)}")
    return sorted({Path(f) for f in p.stdout.split("\0") if f and (src/f).is_file()})


def expected_resources(files: list[Path]) -> set[str]:
    "The bundled files the wheel must hold, as `faceattn/_data/<repository path>` (the rule setup.py states)."
    out = set()
    for f in files:
        top = f.parts[0]
        if (top == "data_manifests" and not any(p.startswith(".") or p == "__pycache__" for p in f.parts)) \
           or (top == "profiles" and len(f.parts) == 2 and f.suffix == ".yaml") \
           or (f.parts[:2] == ("nbs", "repro") and len(f.parts) == 3 and f.suffix == ".ipynb" and not f.name.startswith(("_", "."))):
            out.add(f"faceattn/_data/{f.as_posix()}")
    return out


PROBE = r"""
import json, sys, faceattn
out = {"faceattn": faceattn.__file__}
def get(key, f):
    try: out[key] = f()
    except Exception as e: out[key] = f"{type(e).__name__}: {e}"
from faceattn import core, manifests, results
get("dirs", lambda: {n: str(core.resource_dir(n)) for n in core.RESOURCES})
get("reported_smanet", lambda: len(manifests.reported("smanet")))
get("datasets", lambda: len(manifests.names()))
get("claims", lambda: len(results.load_claims()))
get("repro", lambda: sorted(p.name for p in core.resource_dir("repro").glob("*.ipynb")))
print(json.dumps(out))
"""

KERNEL_NB = {"cells": [{"cell_type": "code", "execution_count": None, "id": "probe", "metadata": {}, "outputs": [],
                        "source": "import sys, faceattn\nprint(sys.executable)\nprint(faceattn.__file__)"}],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
             "nbformat": 4, "nbformat_minor": 5}


def _dist_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_closure(reqs: list[str]) -> set[str]:
    """Distributions the requirement strings `reqs` install, with everything they require in turn (markers with
    `extra ==` are skipped), as normalised names; read from this environment's installed metadata."""
    from importlib import metadata
    todo, seen = [re.split(r"[ ;<>=!~\[(]", r.strip(), maxsplit=1)[0] for r in reqs], set()
    while todo:
        key = _dist_key(todo.pop())
        if not key or key in seen: continue
        seen.add(key)
        try: deps = metadata.requires(key) or []
        except metadata.PackageNotFoundError: continue
        todo += [re.split(r"[ ;<>=!~\[(]", d.strip(), maxsplit=1)[0] for d in deps if "extra ==" not in d]
    return seen


def notebook_imports(paths) -> set[str]:
    "Top-level modules the code cells of notebooks `paths` import."
    mods = set()
    for path in paths:
        for cell in json.loads(Path(path).read_text())["cells"]:
            if cell["cell_type"] != "code": continue
            for line in "".join(cell["source"]).splitlines():
                m = re.match(r"\s*(?:from|import)\s+([A-Za-z_]\w*)", line)
                if m: mods.add(m.group(1))
    return mods


def undeclared_imports(mods: set[str], reqs: list[str]) -> list[str]:
    "Modules of `mods` that are neither standard library nor faceattn nor installed by `reqs` (transitively)."
    from importlib import metadata
    owners, closure = metadata.packages_distributions(), requirement_closure(reqs)
    return sorted(m for m in mods if m not in sys.stdlib_module_names and m != "faceattn"
                  and not any(_dist_key(d) in closure for d in owners.get(m, [])))


def run_checks(src: Path, tmp: Path) -> None:
    "Every step in order; a step whose failure makes the next ones meaningless returns early (its check is recorded)."
    with Step("copy the checkout's files"):
        files = checkout_files(src)
        tree = tmp/"src"
        for f in files:
            (tree/f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src/f, tree/f)
        print(f"  {len(files)} files")

    with Step("build the wheel (pip wheel --no-deps --no-build-isolation)"):
        p = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp/"dist", tree])
        wheels = sorted((tmp/"dist").glob("faceattn-*.whl"))
        if not check("wheel built", p.returncode == 0 and len(wheels) == 1, wheels[0].name if wheels else tail(p)): return
        wheel = wheels[0]

    with Step("wheel contents"):
        with zipfile.ZipFile(wheel) as z:
            names = set(z.namelist())
            meta = next((z.read(n).decode() for n in names if n.endswith(".dist-info/METADATA")), "")
        packaged = {n for n in names if n.startswith("faceattn/_data/")}
        want = expected_resources(files)
        check("faceattn/_data holds data_manifests/, profiles/*.yaml, nbs/repro/*.ipynb", packaged == want and want,
              f"{len(packaged)} files" + (f"; missing {sorted(want - packaged)[:5]}, extra {sorted(packaged - want)[:5]}" if packaged != want else ""))
        extras = {l.split(":", 1)[1].strip() for l in meta.splitlines() if l.startswith("Provides-Extra:")}
        core_reqs = [l.split(":", 1)[1].strip() for l in meta.splitlines() if l.startswith("Requires-Dist:") and "extra ==" not in l]
        check("extras repro and dev declared", {"repro", "dev"} <= extras, f"extras {sorted(extras)}")
        repro_reqs = [l.split(":", 1)[1].split(";")[0].strip() for l in meta.splitlines()
                      if l.startswith("Requires-Dist:") and 'extra == "repro"' in l]
        repro_nbs = [tree/f for f in files if f.parts[:2] == ("nbs", "repro") and f.suffix == ".ipynb"]
        missing = undeclared_imports(notebook_imports(repro_nbs), core_reqs + repro_reqs)
        check("[repro] covers every module the reproduction notebooks import", not missing,
              f"not installed by faceattn[repro]: {missing}" if missing else "stdlib, faceattn and the declared requirements")
        check("core requirements hold no notebook tooling", not any(r.split()[0].lower().startswith(("papermill", "nbdev", "jupyterlab")) for r in core_reqs),
              f"{len(core_reqs)} core requirements")

    with Step("throw-away venv seeing this environment's packages; pip install --no-deps --no-index the wheel"):
        venv = tmp/"venv"
        p = run([sys.executable, "-m", "venv", "--without-pip", venv])
        if not check("venv created", p.returncode == 0, tail(p)): return
        vpy = venv/"bin"/"python"
        purelib = Path(run([vpy, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
        outer = [s for s in site.getsitepackages() if Path(s).is_dir()]
        (purelib/"_faceattn_wheel_check_outer_env.pth").write_text("\n".join(outer) + "\n")
        p = run([sys.executable, "-m", "pip", "--python", vpy, "install", "--no-deps", "--no-index", "-q", wheel])
        if not check("wheel installed", p.returncode == 0, tail(p)): return

    elsewhere = tmp/"elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("FACEATTN_MANIFESTS", "FACEATTN_REPRO_NBS", "PYTHONPATH", "JUPYTER_PATH", "VIRTUAL_ENV")}
    env.update(FACEATTN_HOME=str(tmp/"home"), JUPYTER_DATA_DIR=str(tmp/"jupyter"), MPLBACKEND="Agg",
               PATH=f"{venv/'bin'}{os.pathsep}{env.get('PATH', '')}")
    installed = purelib/"faceattn"

    with Step("faceattn profiles (console script, outside the repository)"):
        p = run([venv/"bin"/"faceattn", "profiles"], cwd=elsewhere, env=env)
        listed = {l.split()[0] for l in p.stdout.splitlines() if l.strip() and not l.startswith((" ", "\t"))}
        check("faceattn profiles lists quick and standard", p.returncode == 0 and {"quick", "standard"} <= listed,
              f"listed {sorted(listed)}" + ("" if p.returncode == 0 else f"; exit {p.returncode}: {tail(p)}"))
        check("profiles read from the installed package", str(installed/"_data"/"profiles") in p.stdout,
              "" if str(installed) in p.stdout else f"output: {p.stdout.strip()[:300]!r}")

    with Step("manifests, reported results, claims, notebooks (python, outside the repository)"):
        p = run([vpy, "-c", PROBE], cwd=elsewhere, env=env)
        if not check("probe ran", p.returncode == 0, "" if p.returncode == 0 else tail(p)): return
        got = json.loads(p.stdout.strip().splitlines()[-1])
        check("faceattn imported from the wheel", Path(got["faceattn"]).resolve().is_relative_to(installed.resolve()), got["faceattn"])
        dirs = got["dirs"] if isinstance(got["dirs"], dict) else {}
        check("every bundled folder inside the installed package",
              dirs and all(Path(d).is_relative_to(installed.resolve()) for d in dirs.values()), json.dumps(got["dirs"]))
        n = got["reported_smanet"]
        check("manifests.reported('smanet') has rows", isinstance(n, int) and n > 0, f"{n} rows, {got['datasets']} dataset names")
        check("claims load", isinstance(got["claims"], int) and got["claims"] > 0, f"{got['claims']} claims")
        want_nbs = sorted(Path(n).name for n in want if "/nbs/repro/" in n)
        check("reproduction notebooks present", got["repro"] == want_nbs and want_nbs,
              f"{len(got['repro'])} notebooks" if isinstance(got["repro"], list) else got["repro"])

    with Step("papermill on kernel python3 with no kernel registered"):
        nb = tmp/"kernel_probe.ipynb"
        nb.write_text(json.dumps(KERNEL_NB))
        p = run([vpy, "-m", "papermill", nb, tmp/"kernel_probe.out.ipynb", "-k", "python3", "--no-progress-bar"],
                cwd=elsewhere, env=env, timeout=120)
        lines = []
        if p.returncode == 0:
            out = json.loads((tmp/"kernel_probe.out.ipynb").read_text())
            text = [o.get("text", "") for o in out["cells"][0]["outputs"]]
            lines = "".join("".join(t) if isinstance(t, list) else t for t in text).split()
        check("the kernel runs this venv's python and the wheel's faceattn",
              p.returncode == 0 and len(lines) == 2 and Path(lines[0]) == vpy and Path(lines[1]).is_relative_to(installed),
              " ".join(lines) if p.returncode == 0 else tail(p))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=Path(__file__).resolve().parent.parent, help="checkout to build (default: this one)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (printed) for inspection")
    args = ap.parse_args(argv)
    src, t_start = args.src.resolve(), time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="faceattn-wheel-check-"))
    print(f"wheel check of {src} in {tmp}", flush=True)
    try: run_checks(src, tmp)
    except Exception as e: check("no unexpected error", False, f"{type(e).__name__}: {e}")
    finally:
        if args.keep: print(f"kept {tmp}")
        else: shutil.rmtree(tmp, ignore_errors=True)
    failed = [c for c in CHECKS if not c[1]]
    print(f"wheel check: {len(CHECKS) - len(failed)} of {len(CHECKS)} checks ok in {time.perf_counter() - t_start:.1f} s"
          + (f"; FAILED: {', '.join(c[0] for c in failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
