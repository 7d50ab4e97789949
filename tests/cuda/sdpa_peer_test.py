#!/usr/bin/env python3
"""CPU-side tests of cuda/sdpa_peer.py: its jobs-CSV reader (the same file einsim-gpu reads, with or
without the optional grid_ctas and cluster columns; errors name file:line:column) and its helpers. No torch needed."""
import importlib.util
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location("sdpa_peer", os.path.join(HERE, "..", "..", "cuda", "sdpa_peer.py"))
peer = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(peer)

HEADER = "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps"


TMP = tempfile.TemporaryDirectory()  # removed when the test run ends


def write(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, dir=TMP.name)
    f.write(text)
    f.close()
    return f.name


class ReadJobs(unittest.TestCase):
    def test_without_grid_ctas_reads_zero(self):
        jobs = peer.read_jobs(write("# c\n" + HEADER + "\na,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n"))
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs[0]["grid_ctas"], 0)
        self.assertEqual(jobs[0]["M"], 1024)

    def test_with_grid_ctas_any_order(self):
        jobs = peer.read_jobs(write("grid_ctas," + HEADER + "\n64,a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n"))
        self.assertEqual(jobs[0]["grid_ctas"], 64)
        self.assertEqual(jobs[0]["job_id"], "a")

    def test_cluster_optional_and_checked(self):
        jobs = peer.read_jobs(write(HEADER + "\na,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n"))
        self.assertEqual(jobs[0]["cluster"], 0)
        jobs = peer.read_jobs(write(HEADER + ",grid_ctas,cluster\na,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,64,4\n"))
        self.assertEqual(jobs[0]["grid_ctas"], 64)
        self.assertEqual(jobs[0]["cluster"], 4)
        for bad in ("1", "17", "-2"):
            path = write(HEADER + ",cluster\na,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4," + bad + "\n")
            with self.assertRaises(peer.JobsError) as e:
                peer.read_jobs(path)
            self.assertIn(f"{path}:2:54: column 'cluster': expected 0 (no cluster) or 2..16 CTAs a cluster, got {bad}",
                          str(e.exception))
        path = write(HEADER + ",cluster\na,decode,split_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,4\n")
        with self.assertRaises(peer.JobsError) as e:
            peer.read_jobs(path)
        self.assertIn(f"{path}:2:53: column 'cluster': cluster applies to stream_k only (0 elsewhere)", str(e.exception))

    def test_measured_columns_echo_the_job_columns_then_gpu(self):
        self.assertEqual(peer.MEASURED_COLUMNS[:18], HEADER.split(",") + ["grid_ctas", "cluster"])
        self.assertEqual(peer.MEASURED_COLUMNS[18:20], ["gpu", "sm_count"])

    def test_errors_name_file_line_column(self):
        path = write(HEADER + "\na,decode,stream_k,fp16,1,8,8,64,64,many,1,0,64,0,2,4\n")
        with self.assertRaises(peer.JobsError) as e:
            peer.read_jobs(path)
        self.assertIn(f"{path}:2:", str(e.exception))
        self.assertIn("column 'M': expected an integer, got 'many'", str(e.exception))
        with self.assertRaises(peer.JobsError) as e:
            peer.read_jobs(write("job_id,kernel\n"))
        self.assertIn("missing column 'decomposition'", str(e.exception))
        with self.assertRaises(peer.JobsError) as e:
            peer.read_jobs(write(HEADER + ",colour\n"))
        self.assertIn("unknown column 'colour'", str(e.exception))

    def test_min_bytes(self):
        j = dict(B=2, H=8, Hkv=2, E=64, F=32, M=100, P=3)
        self.assertEqual(peer.min_bytes(j), 2 * (2 * 8 * 3 * 64 + 2 * 2 * 100 * 64 + 2 * 2 * 100 * 32 + 2 * 8 * 3 * 32))

    def test_sample_rows_cover_corners_and_stay_distinct(self):
        rows = peer.sample_rows(4, 8, 2, 16, 1)
        self.assertEqual(len(rows), 16)
        self.assertEqual(len(set(rows)), 16)
        self.assertIn((0, 0, 0), rows)
        self.assertIn((3, 7, 1), rows)
        self.assertEqual(len(peer.sample_rows(1, 2, 1, 16, 1)), 2)


if __name__ == "__main__":
    unittest.main()
