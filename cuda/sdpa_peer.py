#!/usr/bin/env python3
"""Times PyTorch's scaled_dot_product_attention backends on the shapes of an einsim-gpu jobs CSV.

The peer measurement for einsim-gpu: same shapes (Q [B,H,P,E], K [B,Hkv,M,E], V [B,Hkv,M,F],
scale 1/sqrt(E), non-causal), same timing method (CUDA events around each call, median of
--iters runs after --warmup, queued behind a spin kernel so that they measure device time,
rotating among enough input copies that they exceed 2x the L2),
same check (float64 reference on sampled rows, max|o-ref|/max|ref| per row, fp16 2e-3,
bf16 1.6e-2) and the same measured-CSV columns. Each distinct shape of the jobs file is run
once per backend; the row takes the first job's id with decomposition = torch_<backend> and
tile_m, tile_n, splits, ctas_per_sm, warps, grid_ctas, cluster = 0.

usage: sdpa_peer.py --jobs JOBS.csv --out MEASURED.csv [--backends flash,cudnn,efficient]
                    [--warmup 5] [--iters 30] [--seed 1]
"""
import argparse
import csv
import math
import statistics
import sys

JOB_COLUMNS = ["job_id", "kernel", "decomposition", "dtype", "B", "H", "Hkv", "E", "F", "M", "P",
               "tile_m", "tile_n", "splits", "ctas_per_sm", "warps", "grid_ctas", "cluster"]
OPTIONAL_COLUMNS = {"grid_ctas": 0, "cluster": 0}  # may be left out of a jobs file
MAX_CLUSTER_CTAS = 16  # cuda/stream_k_cluster.h kMaxClusterCtas
MEASURED_COLUMNS = JOB_COLUMNS + ["gpu", "sm_count", "time_us", "time_us_min", "time_us_max",
                                  "runs", "bytes", "achieved_gbps", "max_rel_error", "status",
                                  "message"]
INT_COLUMNS = ["B", "H", "Hkv", "E", "F", "M", "P", "tile_m", "tile_n", "splits", "ctas_per_sm",
               "warps", "grid_ctas", "cluster"]
BOUND = {"fp16": 2e-3, "bf16": 1.6e-2}


class JobsError(Exception):
    pass


def read_jobs(path):
    """Parses the jobs CSV like einsim-gpu does; errors name file:line:column."""
    jobs = []
    header = None
    with open(path, newline="") as f:
        for line_no, line in enumerate(f, start=1):
            text = line.rstrip("\r\n")
            if not text.strip() or text.strip().startswith("#"):
                continue
            fields = next(csv.reader([text]))
            columns = []  # 1-based column where each field starts (quotes aside)
            pos = 1
            for fld in fields:
                columns.append(pos)
                pos += len(fld) + 1
            if header is None:
                for fld, col in zip(fields, columns):
                    if fld.strip() not in JOB_COLUMNS:
                        raise JobsError(f"{path}:{line_no}:{col}: unknown column '{fld.strip()}'")
                names = [x.strip() for x in fields]
                for c in JOB_COLUMNS:
                    if c not in names and c not in OPTIONAL_COLUMNS:
                        raise JobsError(f"{path}:{line_no}:1: missing column '{c}'")
                header = names
                continue
            if len(fields) != len(header):
                raise JobsError(f"{path}:{line_no}:1: expected {len(header)} fields, got {len(fields)}")
            job = dict(OPTIONAL_COLUMNS)
            for name, fld, col in zip(header, fields, columns):
                value = fld.strip()
                if name in INT_COLUMNS:
                    try:
                        value = int(value)
                    except ValueError:
                        raise JobsError(f"{path}:{line_no}:{col}: column '{name}': expected an integer, got '{value}'")
                    if name == "cluster" and (value < 0 or value == 1 or value > MAX_CLUSTER_CTAS):
                        raise JobsError(f"{path}:{line_no}:{col}: column 'cluster': expected 0 (no cluster) "
                                        f"or 2..{MAX_CLUSTER_CTAS} CTAs a cluster, got {value}")
                job[name] = value
            if job["cluster"] > 0 and job.get("decomposition") != "stream_k":
                col = columns[header.index("cluster")]
                raise JobsError(f"{path}:{line_no}:{col}: column 'cluster': cluster applies to stream_k only (0 elsewhere)")
            if job["kernel"] not in ("decode", "prefill"):
                raise JobsError(f"{path}:{line_no}: column 'kernel': expected decode|prefill")
            if job["dtype"] not in BOUND:
                raise JobsError(f"{path}:{line_no}: column 'dtype': expected fp16|bf16")
            if job["Hkv"] < 1 or job["H"] % job["Hkv"]:
                raise JobsError(f"{path}:{line_no}: H must be a multiple of Hkv")
            jobs.append(job)
    if header is None:
        raise JobsError(f"{path}:1:1: no header row")
    return jobs


def sample_rows(B, H, P, count, seed):
    import random
    total = B * H * P
    if total <= count:
        return [(b, h, p) for b in range(B) for h in range(H) for p in range(P)]
    rows = []
    for r in [(0, 0, 0), (B - 1, H - 1, P - 1), (0, H - 1, P - 1), (B - 1, 0, 0)]:
        if r not in rows:
            rows.append(r)
    rng = random.Random(seed)
    while len(rows) < count:
        flat = rng.randrange(total)
        r = (flat // (H * P), (flat // P) % H, flat % P)
        if r not in rows:
            rows.append(r)
    return rows


def min_bytes(j):
    return 2 * (j["B"] * j["H"] * j["P"] * j["E"] + j["B"] * j["Hkv"] * j["M"] * j["E"]
                + j["B"] * j["Hkv"] * j["M"] * j["F"] + j["B"] * j["H"] * j["P"] * j["F"])


def run_shape(torch, job, backend_name, backend, args, props):
    import torch.nn.functional as Fn
    from torch.nn.attention import sdpa_kernel

    dtype = torch.float16 if job["dtype"] == "fp16" else torch.bfloat16
    B, H, Hkv, E, F, M, P = (job[k] for k in ("B", "H", "Hkv", "E", "F", "M", "P"))
    G = H // Hkv
    row = dict(job)
    row.update(decomposition=backend_name, tile_m=0, tile_n=0, splits=0, ctas_per_sm=0, warps=0, grid_ctas=0, cluster=0,
               gpu=props.name, sm_count=props.multi_processor_count, time_us=0.0,
               time_us_min=0.0, time_us_max=0.0, runs=0, bytes=min_bytes(job),
               achieved_gbps=0.0, max_rel_error=float("nan"), status="error", message="")
    notes = []
    copy_bytes = min_bytes(job)
    free, _ = torch.cuda.mem_get_info()
    budget = 0.4 * free
    if copy_bytes > budget:
        row["message"] = f"inputs need {copy_bytes / 2**30:.3g} GiB, budget {budget / 2**30:.3g} GiB"
        return row
    copies = max(1, min(2 * props.L2_cache_size // copy_bytes + 1, int(budget // copy_bytes)))
    gen = torch.Generator(device="cuda").manual_seed(args.seed)

    def rand(*shape):
        return torch.empty(*shape, device="cuda", dtype=dtype).uniform_(-1, 1, generator=gen)

    qs = [rand(B, H, P, E) for _ in range(copies)]
    ks = [rand(B, Hkv, M, E) for _ in range(copies)]
    vs = [rand(B, Hkv, M, F) for _ in range(copies)]

    def call(c, expanded):
        k, v = ks[c], vs[c]
        if G == 1:
            return Fn.scaled_dot_product_attention(qs[c], k, v)
        if expanded is not None:
            return Fn.scaled_dot_product_attention(qs[c], expanded[0][c], expanded[1][c])
        return Fn.scaled_dot_product_attention(qs[c], k, v, enable_gqa=True)

    expanded = None
    try:
        with sdpa_kernel(backend):
            try:
                out = call(0, None)
            except RuntimeError as e:
                if G == 1:
                    raise
                # No GQA in this backend: expand K/V before timing (they then read G x more).
                expanded = ([k.repeat_interleave(G, dim=1) for k in ks],
                            [v.repeat_interleave(G, dim=1) for v in vs])
                notes.append("GQA via repeat_interleave (expanded K/V read G times)")
                out = call(0, expanded)
            torch.cuda.synchronize()
            worst = 0.0
            for (b, h, p) in sample_rows(B, H, P, 16, args.seed):
                q64 = qs[0][b, h, p].double()
                k64 = ks[0][b, h // G].double()
                v64 = vs[0][b, h // G].double()
                w = torch.softmax((k64 @ q64) / math.sqrt(E), dim=0)
                ref = w @ v64
                o = out[b, h, p].double()
                if not torch.isfinite(o).all():
                    err = float("inf")
                else:
                    err = ((o - ref).abs().max() / ref.abs().max()).item()
                worst = max(worst, err)
            row["max_rel_error"] = worst
            row["status"] = "ok" if worst <= BOUND[job["dtype"]] else "wrong"
            for i in range(args.warmup):
                call((i + 1) % copies, expanded)
            starts = [torch.cuda.Event(enable_timing=True) for _ in range(args.iters)]
            stops = [torch.cuda.Event(enable_timing=True) for _ in range(args.iters)]
            torch.cuda.synchronize()
            # As einsim-gpu does: a spin kernel holds the stream while the host enqueues the
            # timed calls, so the events measure device time, not the host's launch pace.
            # Python enqueues a call in tens of microseconds: spin 10 ms + 0.3 ms a call
            # (counted at 2 GHz; a lower clock spins longer, which is harmless).
            if hasattr(torch.cuda, "_sleep"):
                torch.cuda._sleep(int(2e9 * (0.01 + 0.0003 * args.iters)))
            else:
                notes.append("no torch.cuda._sleep: host launch gaps may be timed")
            for i in range(args.iters):
                starts[i].record()
                call((args.warmup + i + 1) % copies, expanded)
                stops[i].record()
            torch.cuda.synchronize()
    except RuntimeError as e:
        row["status"] = "error"
        row["message"] = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        return row
    times = sorted(1000.0 * s.elapsed_time(t) for s, t in zip(starts, stops))
    row.update(time_us=statistics.median(times), time_us_min=times[0], time_us_max=times[-1],
               runs=len(times))
    row["achieved_gbps"] = row["bytes"] / (row["time_us"] * 1e3)
    notes.append(f"{copies} input copies")
    row["message"] = "; ".join(notes)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--backends", default="flash,cudnn,efficient")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    try:
        jobs = read_jobs(args.jobs)
    except (JobsError, OSError) as e:
        print(f"sdpa_peer: {e}", file=sys.stderr)
        return 2

    import torch
    from torch.nn.attention import SDPBackend
    known = {"flash": "FLASH_ATTENTION", "cudnn": "CUDNN_ATTENTION",
             "efficient": "EFFICIENT_ATTENTION", "math": "MATH"}
    backends = []
    for name in args.backends.split(","):
        name = name.strip()
        if name not in known:
            print(f"sdpa_peer: unknown backend '{name}' (known: {','.join(known)})", file=sys.stderr)
            return 2
        if hasattr(SDPBackend, known[name]):
            backends.append(("torch_" + name, getattr(SDPBackend, known[name])))
        else:
            print(f"sdpa_peer: this PyTorch has no SDPBackend.{known[name]}; skipped", file=sys.stderr)
    props = torch.cuda.get_device_properties(0)
    shape_keys = ("kernel", "dtype", "B", "H", "Hkv", "E", "F", "M", "P")
    seen = set()
    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=MEASURED_COLUMNS, extrasaction="ignore")
        w.writeheader()
        f.flush()
        print(f"{'job':24} {'backend':16} {'time_us':>10} {'GB/s':>9} {'rel_err':>10} status")
        for job in jobs:
            key = tuple(job[k] for k in shape_keys)
            if key in seen:
                continue
            seen.add(key)
            for name, backend in backends:
                row = run_shape(torch, job, name, backend, args, props)
                for k in ("time_us", "time_us_min", "time_us_max"):
                    row[k] = f"{row[k]:.3f}"
                row["achieved_gbps"] = f"{row['achieved_gbps']:.1f}"
                row["max_rel_error"] = f"{row['max_rel_error']:.3e}"
                w.writerow(row)
                f.flush()
                print(f"{job['job_id']:24} {name:16} {row['time_us']:>10} {row['achieved_gbps']:>9} "
                      f"{row['max_rel_error']:>10} {row['status']} {row['message']}", flush=True)
                torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
