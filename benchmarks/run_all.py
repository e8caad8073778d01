"""Run faceattn's benchmarks at the issue's sizes and record them.

    python benchmarks/run_all.py [--device cpu|cuda] [--out DIR] [--only models satnet pattnet data estimate profile]
                                 [--all-models] [--quick-out reproduce_out]

Writes into `benchmarks/results/<device>/` (or --out): one CSV per benchmark, `meta.json` (machine, torch, threads,
load, git commit, seconds per benchmark) and `summary.md` (the issue's targets against what was measured, the loader
verdict, the H100 estimate). Every table holds medians and ratios measured side by side in one interleaved run
(see nbs/08_bench.ipynb, which reads these files back and plots them). Commit the folder to record a run.
"""
import argparse, json, os, platform, subprocess, time
from pathlib import Path
import pandas as pd
import torch
from faceattn import bench
from faceattn.core import atomic_save_csv, atomic_write_json, atomic_write_text, default_device

SEL = ["resnet18", "senet18", "cbam18", "smanet", "sanet", "tnet", "satnet", "abrnet", "jaanet_local", "pattnet", "holistic_cnn"]
HERE = Path(__file__).resolve().parent


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    try: return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout.strip()
    except OSError: return ""


def _md(df: pd.DataFrame, index: bool = True) -> str:
    d = df.reset_index() if index else df
    rows = [[("" if pd.isna(v) else f"{v:.3g}" if isinstance(v, float) else str(v)) for v in r] for r in d.itertuples(index=False)]
    head = [str(c) for c in d.columns]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows])


def _kept(meta: dict) -> str:
    "Which tables come from earlier runs (each table's own run: `meta['runs']`)."
    earlier = {}
    for name, r in sorted(meta.get("runs", {}).items()):
        if (r.get("date"), r.get("commit")) != (meta["date"], meta["commit"]): earlier.setdefault((r.get("date"), r.get("commit")), []).append(name)
    return "".join(f" Kept from the run of {d} (commit {c}): {', '.join(names)}." for (d, c), names in sorted(earlier.items(), key=str))


def summary(tables: dict, meta: dict) -> str:
    "summary.md: the targets, the loader verdict and the estimate, from the tables of this run."
    out = [f"# faceattn benchmarks · {meta['device']}",
           f"{meta['date']} · {meta['cpu']} · {meta['cpus']} CPUs · torch {meta['torch']} · {meta['threads']} threads · "
           f"commit {meta['commit']} · load average before {meta['load_before']}, after {meta['load_after']}",
           "Ratios are measured side by side in one interleaved run (medians); see nbs/08_bench.ipynb." + _kept(meta),
           "## The issue's targets", _md(bench.check_targets(tables), index=False)]
    if "data" in tables: out += ["## Data path", bench.loader_verdict(tables["data"]), _md(tables["data"], index=False)]
    for name, title in (("models", "Step time of every model relative to ResNet-18"), ("satnet", "SAT-Net per evaluated frame"),
                        ("pattnet", "PAttNet: vectorised vs 12 networks in a loop (train step)"),
                        ("estimate", "A full BP4D 3-fold reproduction on one H100 (estimate)"),
                        ("quick_wall_times", "Quick reproduction profile: wall seconds per notebook")):
        if name in tables: out += [f"## {title}", _md(tables[name])]
    return "\n\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    p.add_argument("--out", default=None, help="output folder (default: benchmarks/results/<device>)")
    p.add_argument("--only", nargs="+", default=["models", "satnet", "pattnet", "data", "estimate"])
    p.add_argument("--all-models", action="store_true", help="every registry model (default: the papers' models and baselines)")
    p.add_argument("--quick-out", default=None, help="a `faceattn reproduce` output folder: record its wall time per notebook")
    a = p.parse_args()
    dev = default_device(a.device)
    out = Path(a.out) if a.out else HERE / "results" / dev.type
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(device=dev.type, gpu=torch.cuda.get_device_name(dev) if dev.type == "cuda" else None, cpu=_cpu(),
                cpus=os.cpu_count(), torch=torch.__version__, threads=torch.get_num_threads(), commit=_commit(),
                date=time.strftime("%Y-%m-%d %H:%M:%S"), load_before=[round(x, 2) for x in os.getloadavg()], seconds={},
                sizes=dict(models="batch 8, 128 px, 5 repeats", satnet="64-frame session, 128 px, T = 16, batch 8",
                           pattnet="batch 8, 100 px patches, 12 AUs, 3 repeats",
                           data="2 subjects x 2 sessions x 64 frames stored at 160 px, 128 px crops, batch 16"))
    print(f"{meta['cpu']}, torch {meta['torch']}, {meta['threads']} threads, device {dev}, load {meta['load_before']}", flush=True)
    jobs = {
        "models": lambda: bench.bench_models(None if a.all_models else SEL, batch_size=8, image_size=128, repeats=5, device=dev),
        "satnet": lambda: bench.bench_satnet(n_frames=64, image_size=128, T=16, batch_size=8, repeats=3, device=dev),
        "pattnet": lambda: bench.bench_pattnet(batch_size=8, patch_size=100, repeats=3, device=dev),
        "data": lambda: bench.bench_data(frames_per_session=64, image_size=128, batch_size=16, workers=(0, 1, 2)),
        "estimate": lambda: bench.reproduction_estimate().set_index("paper"),
        "profile": lambda: bench.profile_step("smanet", batch_size=8, image_size=128, steps=2, device=dev, top=15),
    }
    kept = bench.load_results(out) if out.exists() else {"meta": {}}   # tables not re-run this time stay in the summary
    old_meta = kept.pop("meta")
    tables = {k: v for k, v in kept.items() if k not in a.only and not (k == "quick_wall_times" and a.quick_out)}
    runs = dict(old_meta.get("runs", {}))            # each table's own run (date, commit), carried across partial re-runs
    for k in kept: runs.setdefault(k, dict(date=old_meta.get("date"), commit=old_meta.get("commit")))
    meta["runs"] = {k: runs[k] for k in tables}
    meta["seconds"].update({k: v for k, v in old_meta.get("seconds", {}).items() if k in tables})
    for name in a.only:
        t0 = time.time(); df = jobs[name]()
        meta["seconds"][name] = round(time.time() - t0, 1)
        tables[name] = df
        meta["runs"][name] = dict(date=meta["date"], commit=meta["commit"])
        bench._print(df, f"{name} ({meta['seconds'][name]:.0f} s, load {os.getloadavg()[0]:.1f}) {getattr(df, 'attrs', {})}")
        if name == "data": print(bench.loader_verdict(df))
        atomic_save_csv(df, out / f"{name}.csv", index=True)
        print(flush=True)
    if a.quick_out:
        tables["quick_wall_times"] = bench.wall_times(a.quick_out).set_index("notebook")
        meta["runs"]["quick_wall_times"] = dict(date=meta["date"], commit=meta["commit"], source=str(a.quick_out))
        atomic_save_csv(tables["quick_wall_times"], out / "quick_wall_times.csv", index=True)
    meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    atomic_write_json(out / "meta.json", meta)
    atomic_write_text(out / "summary.md", summary(tables, meta))
    print(summary(tables, meta))


if __name__ == "__main__": main()
