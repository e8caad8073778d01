"""Run faceattn's benchmarks at the issue's sizes and write their tables as CSV.

    python benchmarks/run_all.py [--out DIR] [--only models satnet pattnet data profile] [--all-models]

Every table holds medians and ratios measured side by side in one interleaved run (see nbs/08_bench.ipynb).
"""
import argparse, os, time
from pathlib import Path
import torch
from faceattn import bench

SEL = ["resnet18", "senet18", "cbam18", "smanet", "sanet", "satnet", "abrnet", "jaanet_local", "pattnet"]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="bench_out"); p.add_argument("--device", default="cpu")
    p.add_argument("--only", nargs="+", default=["models", "profile", "satnet", "pattnet", "data"])
    p.add_argument("--all-models", action="store_true", help="every registry model (default: one per family)")
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()}", flush=True)
    jobs = {
        "models": lambda: bench.bench_models(None if a.all_models else SEL, batch_size=8, image_size=128, repeats=5, device=a.device),
        "profile": lambda: bench.profile_step("smanet", batch_size=8, image_size=128, steps=2, device=a.device, top=15),
        "satnet": lambda: bench.bench_satnet(n_frames=64, image_size=128, T=16, batch_size=8, repeats=3, device=a.device),
        "pattnet": lambda: bench.bench_pattnet(batch_size=4, patch_size=100, repeats=3, device=a.device),
        "data": lambda: bench.bench_data(frames_per_session=64, image_size=128, batch_size=16, workers=(0, 1, 2)),
    }
    for name in a.only:
        t0 = time.time(); df = jobs[name]()
        bench._print(df, f"{name} ({time.time() - t0:.0f}s, load {os.getloadavg()[0]:.1f}) {getattr(df, 'attrs', {})}")
        if name == "data": print(bench.loader_verdict(df))
        df.to_csv(out/f"{name}.csv"); print(flush=True)

if __name__ == "__main__": main()
