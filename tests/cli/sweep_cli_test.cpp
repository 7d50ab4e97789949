// einsim sweep and einsim merge from the command line: bad shards, a resume that would trust rows
// of another sweep or edited rows, a merge of a corrupted shard, and outputs that would replace an
// input — each a clear error with a non-zero exit code, and the files left as they were.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include "run_einsim.h"
#include "temp_files.h"

namespace fs = std::filesystem;

namespace {

const std::string sweep_text = "name = \"t\"\n"
                               "[base]\nmodel = \"bert-base\"\n"
                               "[designs.flat]\ncascade = \"attention_3pass\"\nmapping = \"flat\"\narch = \"cloud-flat\"\n"
                               "[designs.fusemax]\ncascade = \"fusemax\"\nmapping = \"fusemax\"\narch = \"cloud-fusemax\"\n"
                               "[[axis]]\nkey = \"design\"\nvalues = [\"flat\", \"fusemax\"]\n"
                               "[[axis]]\nkey = \"seq\"\nvalues = [1024, 2048]\n";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

// Replaces field `column` (no quoted fields before it) of a CSV line.
std::string with_field(const std::string& line, std::size_t column, const std::string& value) {
    std::size_t start = 0;
    for (std::size_t c = 0; c < column; ++c) start = line.find(',', start) + 1;
    std::size_t end = line.find(',', start);
    return line.substr(0, start) + value + line.substr(end);
}

bool has(const RunResult& r, const std::string& text) {
    if (r.err.find(text) != std::string::npos) return true;
    MESSAGE("stderr: " << r.err);
    return false;
}

} // namespace

TEST_CASE("einsim sweep: a malformed shard, Slurm task variable or --resume --force is an error") {
    const std::string toml = write_test_file("sweep_cli", "t.toml", sweep_text);
    const std::string out = test_temp_path("sweep_cli", "shard.csv");
    for (const std::string shard : {"1/2/3", "0/2x", "0/99999999999999999999", "-1/2", "2/2"}) {
        fs::remove(out);
        RunResult r = run_einsim("sweep " + toml + " -q -o " + out + " --shard " + shard);
        CHECK(r.code == 1);
        CHECK(has(r, "--shard: expected i/N with whole numbers 0 <= i < N <= 2147483647, got '" + shard + "'"));
        CHECK_FALSE(fs::exists(out));
    }
    ::setenv("SLURM_ARRAY_TASK_ID", "abc", 1);
    ::setenv("SLURM_ARRAY_TASK_COUNT", "2", 1);
    RunResult slurm = run_einsim("sweep " + toml + " -q -o " + out);
    ::unsetenv("SLURM_ARRAY_TASK_ID");
    ::unsetenv("SLURM_ARRAY_TASK_COUNT");
    CHECK(slurm.code == 1);
    CHECK(has(slurm, "SLURM_ARRAY_TASK_ID: expected a task number, got 'abc'"));
    CHECK_FALSE(fs::exists(out));

    RunResult both = run_einsim("sweep " + toml + " -q -o " + out + " --resume --force");
    CHECK(both.code == 2);
    CHECK(has(both, "--resume excludes --force"));

    RunResult self = run_einsim("sweep " + toml + " -q --force -o " + toml);
    CHECK(self.code == 1);
    CHECK(has(self, "refusing to write the output over an input file"));
    CHECK(read_test_file(toml) == sweep_text);
}

namespace {

// Slurm's array variables as sbatch sets them, in a scope that unsets them again.
struct SlurmArray {
    SlurmArray(const std::string& id, const std::string& min, const std::string& max, const std::string& step, const std::string& count) {
        ::setenv("SLURM_ARRAY_TASK_ID", id.c_str(), 1);
        ::setenv("SLURM_ARRAY_TASK_MIN", min.c_str(), 1);
        ::setenv("SLURM_ARRAY_TASK_MAX", max.c_str(), 1);
        ::setenv("SLURM_ARRAY_TASK_STEP", step.c_str(), 1);
        ::setenv("SLURM_ARRAY_TASK_COUNT", count.c_str(), 1);
    }
    ~SlurmArray() {
        for (const char* v : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT"})
            ::unsetenv(v);
    }
};

} // namespace

TEST_CASE("einsim sweep under a stepped Slurm array (sbatch --array=MIN-MAX:STEP) runs shard (ID - MIN) / STEP of COUNT") {
    const std::string toml = write_test_file("sweep_cli", "step.toml", sweep_text);
    const std::string by_shard = test_temp_path("sweep_cli", "step_shard.csv");
    fs::remove(by_shard);
    REQUIRE(run_einsim("sweep " + toml + " -q -j 1 --shard 1/2 -o " + by_shard).code == 0);
    const std::vector<std::string> expected = lines_of(read_test_file(by_shard));
    REQUIRE(expected.size() == 3); // points 1 and 3 of 4
    CHECK(expected[1].rfind("1,", 0) == 0);
    CHECK(expected[2].rfind("3,", 0) == 0);

    const std::string out = test_temp_path("sweep_cli", "step.csv");
    // --array=2-4:2 is tasks 2 and 4; task 4 is the second of two.
    {
        fs::remove(out);
        SlurmArray env("4", "2", "4", "2", "2");
        RunResult r = run_einsim("sweep " + toml + " -q -j 1 -o " + out);
        CHECK(r.code == 0);
        CHECK(r.err.empty());
        CHECK(lines_of(read_test_file(out)) == expected);
    }
    // --array=0-10:2 is six tasks, 0, 2, ..., 10: task 2 is shard 1/6 (point 1 of the 4).
    {
        fs::remove(out);
        SlurmArray env("2", "0", "10", "2", "6");
        CHECK(run_einsim("sweep " + toml + " -q -j 1 -o " + out).code == 0);
        const std::vector<std::string> rows = lines_of(read_test_file(out));
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].rfind("1,", 0) == 0);
    }
    // A task ID off the array's steps, below its first task, or past its count is an error, and nothing is written.
    struct Case {
        const char *id, *min, *max, *step, *count, *says;
    } cases[] = {
        {"3", "0", "10", "2", "6", "SLURM_ARRAY_TASK_ID: task 3 of an array from 0 in steps of 2: ID - MIN is not a multiple of SLURM_ARRAY_TASK_STEP"},
        {"1", "2", "4", "2", "2", "SLURM_ARRAY_TASK_ID: task 1 of an array from 2 in steps of 2: the ID is below SLURM_ARRAY_TASK_MIN"},
        // --array=1,4,9: not evenly spaced
        {"9", "1", "9", "1", "3", "SLURM_ARRAY_TASK_ID: task 9 of an array from 1 in steps of 1 is task number 8 of it, but SLURM_ARRAY_TASK_COUNT is 3"},
        {"2", "0", "4", "0", "3", "SLURM_ARRAY_TASK_STEP: expected a step of at least 1, got '0'"},
    };
    for (const Case& c : cases) {
        INFO(c.says);
        fs::remove(out);
        SlurmArray env(c.id, c.min, c.max, c.step, c.count);
        RunResult r = run_einsim("sweep " + toml + " -q -o " + out);
        CHECK(r.code == 1);
        CHECK(has(r, c.says));
        CHECK_FALSE(fs::exists(out));
    }
}

TEST_CASE("einsim sweep --resume checks every kept row and the sweep's hash, and refuses rather than trusting them") {
    const std::string toml = write_test_file("sweep_cli", "r.toml", sweep_text);
    const std::string full = test_temp_path("sweep_cli", "full.csv");
    fs::remove(full);
    fs::remove(full + ".json");
    REQUIRE(run_einsim("sweep " + toml + " -q -j 1 -o " + full).code == 0);
    const std::vector<std::string> rows = lines_of(read_test_file(full));
    REQUIRE(rows.size() == 5);
    const std::size_t cycles = 11; // point, point_key, design, model, M, batch, cascade, mapping, arch, status, reason, cycles
    REQUIRE(lines_of(rows[0] + ",")[0].find(",reason,cycles,") != std::string::npos);

    auto resume = [&](const std::string& name, const std::vector<std::string>& lines) {
        const std::string path = write_test_file("sweep_cli", name, joined(lines));
        RunResult r = run_einsim("sweep " + toml + " -q -j 1 --resume -o " + path);
        CHECK(read_test_file(path) == joined(lines)); // refused: the file is as it was
        return std::make_pair(r, path);
    };
    // A finished point twice.
    auto [dup, dup_path] = resume("dup.csv", {rows[0], rows[1], rows[2], rows[1]});
    CHECK(dup.code == 1);
    CHECK(has(dup, dup_path + ":4: point: cannot resume: point 0 (design=flat;seq=1024) is already at line 2"));
    // A number that is not one.
    auto [text, text_path] = resume("abc.csv", {rows[0], rows[1], with_field(rows[2], cycles, "abc")});
    CHECK(text.code == 1);
    CHECK(has(text, text_path + ":3: cycles: cannot resume: cycles must be a finite number, not 'abc'"));
    // A row whose index names another point.
    auto [index, index_path] = resume("index.csv", {rows[0], with_field(rows[2], 0, "3")});
    CHECK(index.code == 1);
    CHECK(has(index, index_path + ":2: point_key: cannot resume: column point_key is 'design=flat;seq=2048' but point 3 of " + toml +
                         " has 'design=fusemax;seq=2048'"));
    auto [range, range_path] = resume("range.csv", {rows[0], with_field(rows[2], 0, "17")});
    CHECK(range.code == 1);
    CHECK(has(range, range_path + ":2: point: cannot resume: point 17 is not a point of " + toml));

    // The sidecar records the sweep file's hash: another (or an edited) sweep file is refused.
    const std::string edited = write_test_file("sweep_cli", "edited.toml", sweep_text + "# edited\n");
    const std::string partial = write_test_file("sweep_cli", "partial.csv", joined({rows[0], rows[1]}));
    fs::copy_file(full + ".json", partial + ".json", fs::copy_options::overwrite_existing);
    RunResult other = run_einsim("sweep " + edited + " -q --resume -o " + partial);
    CHECK(other.code == 1);
    CHECK(has(other, partial + ".json: sweep_fnv1a64: cannot resume " + partial + ": it was written by sweep file " + toml));
    CHECK(read_test_file(partial) == joined({rows[0], rows[1]}));

    // Good rows are kept and the rest run.
    RunResult ok = run_einsim("sweep " + toml + " -q -j 1 --resume -o " + partial);
    CHECK(ok.code == 0);
    CHECK(lines_of(read_test_file(partial)).size() == 5);
}

TEST_CASE("einsim merge checks each row's point key, not only its index") {
    const std::string toml = write_test_file("sweep_cli", "m.toml", sweep_text);
    std::string shard[2];
    for (int i = 0; i < 2; ++i) {
        shard[i] = test_temp_path("sweep_cli", "s" + std::to_string(i) + ".csv");
        fs::remove(shard[i]);
        REQUIRE(run_einsim("sweep " + toml + " -q -j 1 --shard " + std::to_string(i) + "/2 -o " + shard[i]).code == 0);
    }
    const std::string merged = test_temp_path("sweep_cli", "merged.csv");
    fs::remove(merged);
    REQUIRE(run_einsim("merge --sweep " + toml + " " + shard[0] + " " + shard[1] + " -o " + merged).code == 0);
    CHECK(lines_of(read_test_file(merged)).size() == 5);
    fs::remove(merged);

    std::vector<std::string> lines = lines_of(read_test_file(shard[1]));
    lines[1] = with_field(lines[1], 1, "desgn=flat;seq=2048");
    const std::string bad = write_test_file("sweep_cli", "s1k.csv", joined(lines));
    RunResult r = run_einsim("merge --sweep " + toml + " " + shard[0] + " " + bad + " -o " + merged);
    CHECK(r.code == 1);
    CHECK(has(r, bad + ":2: point_key: column point_key is 'desgn=flat;seq=2048' but point 1 of " + toml + " has 'design=flat;seq=2048'"));
    CHECK_FALSE(fs::exists(merged));

    RunResult self = run_einsim("merge --sweep " + toml + " " + shard[0] + " " + shard[1] + " -o " + shard[0]);
    CHECK(self.code == 1);
    CHECK(has(self, shard[0] + ": refusing to write the output over an input file"));
}

TEST_CASE("einsim merge of a shard given twice lists the first 20 duplicates and counts the rest") {
    std::string seqs;
    for (int k = 1; k <= 12; ++k) seqs += (k > 1 ? ", " : "") + std::to_string(128 * k);
    const std::string text = sweep_text.substr(0, sweep_text.find("values = [1024, 2048]")) + "values = [" + seqs + "]\n";
    const std::string toml = write_test_file("sweep_cli", "twice.toml", text);
    const std::string shard = test_temp_path("sweep_cli", "twice.csv");
    fs::remove(shard);
    REQUIRE(run_einsim("sweep " + toml + " -q -j 1 -o " + shard).code == 0);
    REQUIRE(lines_of(read_test_file(shard)).size() == 25); // 2 designs x 12 lengths
    const std::string merged = test_temp_path("sweep_cli", "twice_merged.csv");
    fs::remove(merged);
    RunResult r = run_einsim("merge --sweep " + toml + " " + shard + " " + shard + " -o " + merged);
    CHECK(r.code == 1);
    std::size_t listed = 0;
    for (const auto& line : lines_of(r.err)) listed += line.rfind("einsim merge: duplicate point ", 0) == 0;
    CHECK(listed == 20);
    CHECK(has(r, "einsim merge: duplicate point " + shard + ":2: design=flat;seq=128\n"));
    CHECK(has(r, "einsim merge: ... and 4 more duplicate points\n"));
    CHECK(has(r, toml + ": 24 duplicate and 0 missing points; nothing written"));
    CHECK_FALSE(fs::exists(merged));
}

TEST_CASE("einsim sweep --resume starts an empty file afresh; a file without a header is one located error") {
    const std::string toml = write_test_file("sweep_cli", "empty.toml", sweep_text);
    // A run killed before it wrote its header leaves an empty file: no rows to keep.
    const std::string empty = write_test_file("sweep_cli", "empty.csv", "");
    RunResult r = run_einsim("sweep " + toml + " -q -j 1 --resume -o " + empty);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    const std::vector<std::string> rows = lines_of(read_test_file(empty));
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].rfind("point,point_key,design,", 0) == 0);

    // Blank lines are not a header: refused, the path named once, the file as it was.
    const std::string blank = write_test_file("sweep_cli", "blank.csv", "\n\n");
    RunResult b = run_einsim("sweep " + toml + " -q --resume -o " + blank);
    CHECK(b.code == 1);
    CHECK(b.err == "einsim: error: " + blank + ":1:1: cannot resume: empty file: expected a header row\n");
    CHECK(read_test_file(blank) == "\n\n");
    // merge names a bad shard once too.
    RunResult m = run_einsim("merge --sweep " + toml + " " + blank + " -o " + test_temp_path("sweep_cli", "blank_merged.csv"));
    CHECK(m.code == 1);
    CHECK(m.err == "einsim: error: " + blank + ":1:1: empty file: expected a header row\n");
}
