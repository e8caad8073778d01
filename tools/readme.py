"""Generate README.md from nbs/index.ipynb (quarto, which nbdev-readme needs, is unavailable here).

    python tools/readme.py          # rewrite README.md
    python tools/readme.py --check  # exit 1 if README.md differs from what index.ipynb gives

Markdown cells are copied; code cells are shown as python blocks with their text outputs, except
cells marked `#| hide`; nbdev directive lines (`#| ...`) are dropped.
"""
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
HEADER = "<!-- Generated from nbs/index.ipynb by tools/readme.py: edit the notebook, then run `python tools/readme.py`. -->\n\n"


def _directives(src: str) -> tuple[set[str], str]:
    lines = src.splitlines()
    flags = {l[3:].strip().split(":")[0].split()[0] for l in lines if l.startswith("#| ") and l[3:].strip()}
    return flags, "\n".join(l for l in lines if not l.startswith("#|")).strip()


def _text_outputs(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream": parts.append("".join(o.get("text", "")))
        elif "data" in o and "text/plain" in o["data"] and "text/html" not in o["data"]:
            parts.append("".join(o["data"]["text/plain"]))
    return "".join(parts).rstrip()


def render(nb_path: Path = ROOT / "nbs" / "index.ipynb") -> str:
    nb = nbformat.read(nb_path, as_version=4)
    chunks = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            chunks.append(cell.source.strip())
        elif cell.cell_type == "code":
            flags, code = _directives(cell.source)
            if "hide" in flags or "exec_doc" in flags or not code: continue
            chunks.append(f"```python\n{code}\n```")
            out = _text_outputs(cell)
            if out: chunks.append(f"```\n{out}\n```")
    return HEADER + "\n\n".join(chunks) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text, readme = render(), ROOT / "README.md"
    if "--check" in argv:
        if not readme.exists() or readme.read_text(encoding="utf-8") != text:
            print("README.md is out of date with nbs/index.ipynb: run `python tools/readme.py`", file=sys.stderr)
            return 1
        print("README.md matches nbs/index.ipynb")
        return 0
    tmp = readme.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8"); tmp.replace(readme)
    print(f"wrote {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
