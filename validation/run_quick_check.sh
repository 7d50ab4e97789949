source validation/gpu_build.sh
timeout 120 "$GPU" run --jobs cuda/jobs/smoke.csv --out "$OUT/smoke.csv" --warmup 1 --iters 3 | tail -2
grep -v ',ok,' "$OUT/smoke.csv" | cut -c1-200 | head
STEPS="sanitize bench depth" OUT=$OUT bash validation/run_gpu_v4.sh 2>&1 | grep -E "exit|kv_path|stages|K/V depth" | grep -v "^kv_path.*GB/s in all"
