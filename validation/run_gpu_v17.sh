#!/usr/bin/env bash
# Stream-K grids of one CTA a unit at B = 16, 32/32, E = 64, 1K/2K with two or three K/V stages
# and 64- or 32-key tiles: validation/jobs_stream_k_units_2.csv twice, PyTorch SDPA on its shapes
# between the passes (h200-2026-12-01h). On the lent H200 (device tool), from the repository root;
# results in $OUT.
SANITIZE=0 UNITS=validation/jobs_stream_k_units_2.csv UNITS_SHAPES=validation/jobs_stream_k_units_2_shapes.csv \
  exec bash "$(dirname "$0")/run_gpu_v16.sh"
