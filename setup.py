"""Build script for faceattn.

Package metadata and requirements live in `settings.ini` (read here with configparser).
nbdev 3 itself reads only `pyproject.toml` `[tool.nbdev]`; it does not read settings.ini.

Bundled files: the repository keeps `data_manifests/`, `profiles/` and `nbs/repro/` at its top level (settings.ini
`package_resources`). A wheel carries them inside the package as `faceattn/_data/<same path>`: `BuildPyWithResources`
copies them into the build folder (never into the source tree). An editable install copies nothing; it reads the
checkout's own folders. `faceattn.core.resource_dir` finds either. `MANIFEST.in` puts the same files in an sdist.
"""
import shutil
from configparser import ConfigParser
from pathlib import Path

import setuptools
from setuptools.command.build_py import build_py

cfg = ConfigParser(delimiters=["="])
cfg.read(Path(__file__).parent / "settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]

licenses = {"apache2": ("Apache Software License 2.0", "OSI Approved :: Apache Software License")}
statuses = ["1 - Planning", "2 - Pre-Alpha", "3 - Alpha", "4 - Beta", "5 - Production/Stable"]
py_versions = ["3.11", "3.12", "3.13"]

lic = licenses[cfg["license"]]
min_python = cfg["min_python"]
requirements = cfg.get("requirements", "").split()
repro_requirements = cfg.get("repro_requirements", "").split()
onnx_requirements = cfg.get("onnx_requirements", "").split()                        # [onnx]: faceattn export --format onnx
dev_requirements = repro_requirements + cfg.get("dev_requirements", "").split()   # [dev] includes [repro]
console_scripts = cfg.get("console_scripts", "").split()
here = Path(__file__).resolve().parent
readme = here / "README.md"
RESOURCE_PACKAGE_DIR = "_data"   # faceattn/_data/<repository path>; faceattn.core.PACKAGED_RESOURCES names the same folder


def resource_files(root: Path, patterns: list[str]) -> list[Path]:
    "Files of the checkout `root` matched by the `package_resources` globs, without dot-files, `_*` notebooks or caches."
    found = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            rel = path.relative_to(root)
            hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
            if path.is_file() and not hidden and not (path.suffix == ".ipynb" and path.name.startswith("_")):
                found.add(path)
    return sorted(found)


class BuildPyWithResources(build_py):
    "build_py, then the `package_resources` files copied to <build>/faceattn/_data/<repository path> (not for editable installs)."

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return   # an editable install reads the checkout's own folders
        dest = Path(self.build_lib) / cfg["lib_name"] / RESOURCE_PACKAGE_DIR
        shutil.rmtree(dest, ignore_errors=True)   # a reused build/ folder must not keep files deleted since
        files = resource_files(here, cfg.get("package_resources", "").split())
        if not files:
            raise RuntimeError(f"no file matches package_resources in {here / 'settings.ini'}: is this a complete checkout or sdist?")
        for path in files:
            target = dest / path.relative_to(here)
            self.mkpath(str(target.parent))
            self.copy_file(str(path), str(target))


setuptools.setup(
    name=cfg["lib_name"],
    version=cfg["version"],
    description=cfg["description"],
    long_description=readme.read_text(encoding="utf-8") if readme.exists() else "",
    long_description_content_type="text/markdown",
    author=cfg["author"],
    author_email=cfg["author_email"],
    license=lic[0],
    keywords=cfg["keywords"],
    classifiers=[
        "Development Status :: " + statuses[int(cfg["status"])],
        "Intended Audience :: Science/Research",
        "Natural Language :: " + cfg["language"],
        "License :: " + lic[1],
    ] + ["Programming Language :: Python :: " + v for v in py_versions[py_versions.index(min_python):]],
    packages=setuptools.find_packages(include=["faceattn", "faceattn.*"]),
    include_package_data=True,
    python_requires=">=" + min_python,
    install_requires=requirements,
    extras_require={"repro": repro_requirements, "onnx": onnx_requirements, "dev": dev_requirements},
    cmdclass={"build_py": BuildPyWithResources},
    zip_safe=False,
    entry_points={
        "console_scripts": console_scripts,
        "nbdev": [f"{cfg['lib_name']}={cfg['lib_name']}._modidx:d"],
    },
)
