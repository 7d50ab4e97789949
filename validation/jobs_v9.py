#!/usr/bin/env python3
"""Writes validation/jobs_stream_k_v9.csv: the v8 stream-K mappings (validation/jobs_stream_k_v8.csv,
unclustered) with each row where the GPU-SM model's whole pick is clustered replaced by that pick.
The pick comes from PICKS, the output of
  einsim gpu-jobs --suite decode --contexts 1024,2048,4096,8192,16384,32768,65536,131072,262144,524288
    --batch 1,4,16 --heads 32/32,64/8 --head-dim 128,64 --decompositions stream_k --stream-k-grid mapper
    --stream-k-tiles mapper --kv-stages 4 --arch h200 --max-gib 40
Usage: jobs_v9.py PICKS > validation/jobs_stream_k_v9.csv"""
import sys


def rows(path):
    lines = [l.rstrip("\n") for l in open(path) if not l.startswith("#")]
    return lines[0].split(","), {l.split(",")[0]: l.split(",") for l in lines[1:]}


header, v8 = rows("validation/jobs_stream_k_v8.csv")
pick_header, picks = rows(sys.argv[1])
assert pick_header == header + ["cluster"], pick_header
print("# Stream-K mappings v9: validation/jobs_stream_k_v8.csv with the rows where the GPU-SM model's whole pick")
print("# (einsim gpu-jobs --stream-k-grid mapper --stream-k-tiles mapper --kv-stages 4 --arch h200) runs as")
print("# thread-block clusters replaced by that pick (validation/jobs_v9.py); every other row is v8's, unclustered.")
print(",".join(header + ["cluster"]))
for job_id, r in v8.items():
    p = picks.get(job_id)
    print(",".join(p if p is not None and p[-1] != "0" else r + ["0"]))
