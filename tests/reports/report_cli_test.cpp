#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>

#include "reports/report_files.h"
#include "tests/cli/run_einsim.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

fs::path fresh_dir(const std::string& name) {
    fs::path d = fs::path(EINSIM_BINARY_DIR) / "tests" / "reports" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// The elements of an <svg> that draw data (its background rect aside).
int drawn_elements(const std::string& svg) {
    std::size_t data = svg.find("<g class=\"data\"");
    if (data == std::string::npos) return 0;
    int n = 0;
    static const std::regex shape("<(path|line|circle|rect|polygon|polyline)\\b");
    for (std::sregex_iterator it(svg.begin() + static_cast<long>(data), svg.end(), shape), end; it != end; ++it) ++n;
    return n;
}

const char* small_csv =
    "model,M,design,status,cycles,time_s,energy_pj,util_2d,util_1d,dram_bytes,dram_read_bytes,dram_write_bytes,buffer_bytes,"
    "buffer_bytes_required,macs,energy_array2d_pj,energy_array1d_pj,energy_rf_pj,energy_buffer_pj,energy_dram_pj,energy_static_pj,bound,"
    "e2e_cycles,e2e_energy_pj,arch,peak_macs_per_cycle,dram_bandwidth_bytes_per_cycle,clock_mhz,batch,reason\n"
    "bert,1024,flat,ok,1000,1e-6,500,0.4,0.9,4000,3000,1000,20000,1000,100000,200,50,100,50,80,20,array1d,5000,4000,a1,256,16,1000,1,\n"
    "bert,1024,fusemax,ok,250,2.5e-7,300,0.95,0.97,1000,800,200,9000,800,100000,200,20,50,10,15,5,array2d,3000,3000,a2,256,16,1000,1,\n"
    "bert,4096,flat,ok,16000,1.6e-5,8000,0.4,0.9,64000,48000,16000,320000,1000,1600000,3200,800,1600,800,1280,320,array1d,40000,30000,a1,256,16,1000,1,\n"
    "bert,4096,fusemax,ok,3000,3e-6,4500,0.97,0.99,16000,12800,3200,144000,800,1600000,3200,320,800,160,240,80,array2d,25000,24000,a2,256,16,1000,1,\n"
    "t5 <small>,1024,flat,ok,2000,2e-6,900,0.3,0.8,8000,6000,2000,40000,1000,200000,400,100,200,100,80,20,array1d,9000,8000,a1,256,16,1000,1,\n"
    "t5 <small>,1024,fusemax,ok,400,4e-7,500,0.9,0.95,2000,1600,400,18000,800,200000,400,40,30,10,15,5,array2d,6000,6500,a2,256,16,1000,1,\n"
    "t5 <small>,4096,fusemax,illegal,,,,,,,,,,,,,,,,,,,,,a2,256,16,1000,1,\"needs 5 MB, has 4 MB\"\n";

} // namespace

TEST_CASE("einsim report writes a self-contained HTML page with one non-empty SVG per plot, and a Markdown summary") {
    fs::path dir = fresh_dir("e2e");
    {
        std::ofstream(dir / "results.csv") << small_csv;
        std::ofstream(dir / "validation.csv") << "job_id,decomposition,predicted_us,measured_us\nj1,split_k,105,100\nj2,split_k,80,100\nj3,stream_k,300,310\n";
    }
    RunResult r = run_einsim("report " + (dir / "results.csv").string() + " -o " + (dir / "out.html").string() + " --validation " +
                             (dir / "validation.csv").string() + " --title 'Small & test'");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("wrote " + (dir / "out.html").string()) == 0);
    std::string html = slurp(dir / "out.html");
    std::string md = slurp(dir / "out.md");
    REQUIRE(!html.empty());
    REQUIRE(!md.empty());

    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<title>Small &amp; test</title>") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http") == std::string::npos);
    CHECK(html.find("t5 &lt;small&gt;") != std::string::npos);
    CHECK(html.find("t5 <small>") == std::string::npos);

    // speedup + energy (1 compared design) + utilization (2 designs) + energy breakdown (2 models) + traffic (2 models)
    // + roofline (2 architectures) + predicted vs measured
    const int expected_plots = 2 + 2 + 2 + 2 + 2 + 1;
    int svgs = 0;
    for (std::size_t p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1)) {
        std::size_t end = html.find("</svg>", p);
        REQUIRE(end != std::string::npos);
        std::string svg = html.substr(p, end - p);
        INFO("svg #" << svgs << ": " << svg.substr(0, 200));
        CHECK(drawn_elements(svg) >= 2);
        ++svgs;
    }
    CHECK(svgs == expected_plots);
    int figures = 0;
    for (std::size_t p = html.find("<figure"); p != std::string::npos; p = html.find("<figure", p + 1)) ++figures;
    CHECK(figures == expected_plots);
    int tables_in_figures = 0;
    for (std::size_t p = html.find("</svg><figcaption>"); p != std::string::npos; p = html.find("</svg><figcaption>", p + 1))
        if (html.find("<table>", p) < html.find("</figure>", p)) ++tables_in_figures;
    CHECK(tables_in_figures == expected_plots);

    CHECK(html.find("needs 5 MB, has 4 MB") != std::string::npos); // the illegal point and its reason
    CHECK(html.find("4.74\u00d7 faster") != std::string::npos); // geomean of 1000/250, 16000/3000 and 2000/400
    CHECK(md.find("# Small & test") == 0);
    CHECK(md.find("| fusemax | 3 |") != std::string::npos);
    CHECK(md.find("needs 5 MB, has 4 MB") != std::string::npos);
    CHECK(md.find("3 of 3 jobs with both times") != std::string::npos);
    CHECK(md.find("http") == std::string::npos);

    // Nothing temporary is left behind.
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("einsim report --peers: the measured speedup over PyTorch SDPA per shape across M, and the copy fraction") {
    fs::path dir = fresh_dir("peers");
    {
        std::ofstream(dir / "results.csv") << small_csv;
        std::ofstream(dir / "peers.csv")
            << "job_id,decomposition,B,H,Hkv,E,M,ours_us,best_peer,best_peer_us,speedup_vs_best,copy_fraction,target_speedup,target_copy_fraction\n"
               "a1,stream_k,1,32,32,128,1024,14,torch_cudnn,13.3,0.95,0.30,0.95,\n"
               "a4,stream_k,1,32,32,128,4096,25,torch_cudnn,25,1.0,0.68,0.95,0.6\n"
               "b1,stream_k,16,64,8,64,1024,40,torch_flash,36,0.9,0.21,0.95,\n"
               "b4,stream_k,16,64,8,64,4096,130,torch_flash,143,1.1,0.26,0.95,0.6\n";
        // The same rows held to another target, and without target columns.
        std::ofstream(dir / "peers_1.csv") << "job_id,B,H,Hkv,E,M,ours_us,best_peer_us,speedup_vs_best,target_speedup\n"
                                               "a1,1,32,32,128,1024,14,13.3,0.95,1\na4,1,32,32,128,4096,25,25,1.0,1\n"
                                               "b1,16,64,8,64,1024,40,36,0.9,1\nb4,16,64,8,64,4096,130,143,1.1,1\n";
        std::ofstream(dir / "peers_none.csv") << "job_id,B,H,Hkv,E,M,ours_us,best_peer_us,speedup_vs_best\na1,1,32,32,128,1024,14,13.3,0.95\n";
    }
    RunResult r = run_einsim("report " + (dir / "results.csv").string() + " -o " + (dir / "out.html").string() + " --peers " + (dir / "peers.csv").string());
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string html = slurp(dir / "out.html"), md = slurp(dir / "out.md");
    std::size_t at = html.find("<section id=\"peers\">");
    REQUIRE(at != std::string::npos);
    std::string section = html.substr(at, html.find("</section>", at) - at);
    // Geometric mean of 0.95, 1.0, 0.9, 1.1: 0.9848; three of four at 0.95x or more.
    CHECK(section.find("geometric mean 0.9848\u00d7, from 0.9\u00d7 to 1.1\u00d7; 3 at 0.95\u00d7 or more (the target)") != std::string::npos);
    CHECK(section.find("text-anchor=\"end\">60.0%<") != std::string::npos); // the copy fraction's target line, labelled
    CHECK(section.find("B=1, 32/32, E=128") != std::string::npos);
    CHECK(section.find("B=16, 64/8, E=64") != std::string::npos);
    // Two charts (speedup and copy fraction), each drawing both shapes' lines.
    std::size_t svgs = 0;
    for (std::size_t i = section.find("<svg"); i != std::string::npos; i = section.find("<svg", i + 1)) {
        ++svgs;
        CHECK(drawn_elements(section.substr(i, section.find("</svg>", i) - i)) >= 2 + 4);
    }
    CHECK(svgs == 2);
    CHECK(md.find("## Measured vs PyTorch SDPA") != std::string::npos);
    CHECK(md.find("over 4 jobs: geometric mean 0.9848x, 0.9x to 1.1x; 3 at 0.95x or more (the target)") != std::string::npos);
    // The counts and lines follow the file's target, not a fixed one.
    RunResult r1 = run_einsim("report " + (dir / "results.csv").string() + " -o " + (dir / "out1.html").string() + " --peers " + (dir / "peers_1.csv").string());
    REQUIRE(r1.code == 0);
    CHECK(slurp(dir / "out1.md").find("0.9x to 1.1x; 2 at 1x or more (the target)") != std::string::npos);
    RunResult r0 = run_einsim("report " + (dir / "results.csv").string() + " -o " + (dir / "out0.html").string() + " --peers " + (dir / "peers_none.csv").string());
    REQUIRE(r0.code == 0);
    CHECK(slurp(dir / "out0.md").find("; the file names no target speedup.") != std::string::npos);

    // A peers file without the speedup: located error, nothing written.
    std::ofstream(dir / "bad.csv") << "job_id,B,H,Hkv,E,M,ours_us,best_peer_us\na,1,1,1,64,64,1,1\n";
    fs::remove(dir / "out2.html");
    RunResult bad = run_einsim("report " + (dir / "results.csv").string() + " -o " + (dir / "out2.html").string() + " --peers " + (dir / "bad.csv").string());
    CHECK(bad.code == 1);
    CHECK(bad.err.find("bad.csv:1: missing required column 'speedup_vs_best'") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out2.html"));
}

TEST_CASE("einsim report --validation/--peers without result CSVs: a report of the GPU measurements alone") {
    fs::path dir = fresh_dir("gpu_only");
    {
        std::ofstream(dir / "v.csv") << "job_id,decomposition,predicted_us,measured_us\nj1,split_k,105,100\nj2,stream_k,300,310\n";
        std::ofstream(dir / "p.csv") << "job_id,B,H,Hkv,E,M,ours_us,best_peer_us,speedup_vs_best,target_speedup\n"
                                        "a1,1,32,32,128,1024,14,13.3,0.95,0.95\na4,1,32,32,128,4096,25,25,1.0,0.95\n";
    }
    RunResult r = run_einsim("report -o " + (dir / "gpu.html").string() + " --validation " + (dir / "v.csv").string() + " --peers " + (dir / "p.csv").string());
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("plots from 4 GPU job rows") != std::string::npos);
    std::string html = slurp(dir / "gpu.html"), md = slurp(dir / "gpu.md");
    // Only the two GPU sections, numbered from 1; no section about result rows.
    CHECK(html.find("<section id=\"validation\"><h2>1. ") != std::string::npos);
    CHECK(html.find("<section id=\"peers\"><h2>2. ") != std::string::npos);
    for (const char* absent : {"id=\"utilization\"", "id=\"roofline\"", "id=\"data\"", "id=\"failed\"", "result rows from"})
        CHECK(html.find(absent) == std::string::npos);
    CHECK(md.find("report from GPU measurements.") != std::string::npos);
    CHECK(md.find("## Predicted vs measured") != std::string::npos);
    CHECK(md.find("2 at 0.95x or more (the target)") != std::string::npos);
    CHECK(md.find(" rows (") == std::string::npos); // the result rows' count
    // Only --peers; the JSON line counts the rows the report was drawn from.
    RunResult p = run_einsim("report -o " + (dir / "p.html").string() + " --peers " + (dir / "p.csv").string() + " --format json");
    REQUIRE(p.code == 0);
    CHECK(p.out.find("\"rows\": 2") != std::string::npos);
    CHECK(slurp(dir / "p.html").find("<section id=\"peers\"><h2>1. ") != std::string::npos);
    // Nothing to report, or a baseline without result rows: usage errors, nothing written.
    RunResult none = run_einsim("report -o " + (dir / "none.html").string());
    CHECK(none.code == 2);
    CHECK(none.err.find("give result CSVs, or --validation and/or --peers") != std::string::npos);
    RunResult base = run_einsim("report -o " + (dir / "base.html").string() + " --peers " + (dir / "p.csv").string() + " --baseline flat");
    CHECK(base.code == 2);
    CHECK(base.err.find("--baseline applies to result CSVs") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "none.html"));
    CHECK_FALSE(fs::exists(dir / "base.html"));
}

TEST_CASE("einsim report: bad input fails with file:line:column and writes nothing") {
    fs::path dir = fresh_dir("bad");
    std::string bad = (dir / "bad.csv").string();
    std::ofstream(bad) << "model,M,design,status,cycles\nbert,1024,flat,ok,12\nbert,2048,flat,ok,\"oops\n";
    RunResult r = run_einsim("report " + bad + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find(bad + ":3:19: quoted field is never closed") != std::string::npos);
    CHECK(!fs::exists(dir / "r.html"));
    CHECK(!fs::exists(dir / "r.md"));

    std::ofstream(bad) << "model,M,design,status,cycles\nbert,1024,flat,ok,12\nbert,2048,flat,done,13\n";
    r = run_einsim("report " + bad + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find(bad + ":3:16: status must be ok, illegal or error, not 'done'") != std::string::npos);
    CHECK(!fs::exists(dir / "r.html"));

    // An old report stays as it was when a new one fails.
    std::ofstream(dir / "r.html") << "old";
    r = run_einsim("report " + bad + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(slurp(dir / "r.html") == "old");

    std::string good = (dir / "good.csv").string();
    std::ofstream(good) << "model,M,design,status,cycles\nbert,1024,flat,ok,12\n";
    r = run_einsim("report " + good + " -o " + (dir / "r2.html").string() + " --baseline fusemax");
    CHECK(r.code == 1);
    CHECK(r.err.find("--baseline fusemax: no row has this design (designs: 'flat')") != std::string::npos);
    CHECK(!fs::exists(dir / "r2.html"));

    r = run_einsim("report " + good + " -o " + (dir / "missing-dir" / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find("cannot create a temporary file") != std::string::npos);

    r = run_einsim("report " + (dir / "nonexistent.csv").string());
    CHECK(r.code == 2); // a usage error: CLI11 checks that the file exists
}

TEST_CASE("the Markdown summary sits beside the HTML report") {
    CHECK(reports::markdown_path_for("report.html") == "report.md");
    CHECK(reports::markdown_path_for("out/r.htm") == "out/r.md");
    CHECK(reports::markdown_path_for("out/r") == "out/r.md");
}

TEST_CASE("einsim report: bad values in ok rows are located errors, and the output is never an input or a non-regular file") {
    fs::path dir = fresh_dir("bad_values");
    const std::string nocycles = (dir / "nocycles.csv").string();
    std::ofstream(nocycles) << "model,M,design,status,time_s\nbert,1024,flat,ok,1e-6\n";
    RunResult r = run_einsim("report " + nocycles + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find(nocycles + ":1: missing required column 'cycles'") != std::string::npos);
    const std::string nan = (dir / "nan.csv").string();
    std::ofstream(nan) << "model,M,design,status,cycles\nbert,1024,flat,ok,12\nbert,1024,fusemax,ok,nan\n";
    r = run_einsim("report " + nan + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find(nan + ":3:22: column 'cycles' must be a finite number, not 'nan'") != std::string::npos);
    const std::string latin1 = (dir / "latin1.csv").string();
    std::ofstream(latin1) << "model,M,design,status,cycles\nbert \xe9,1024,flat,ok,12\n";
    r = run_einsim("report " + latin1 + " -o " + (dir / "r.html").string());
    CHECK(r.code == 1);
    CHECK(r.err.find(latin1 + ":2:6: not UTF-8: byte 0xE9") != std::string::npos);
    CHECK(!fs::exists(dir / "r.html"));

    const std::string good = (dir / "good.csv").string();
    const std::string text = "model,M,design,status,cycles\nbert,1024,flat,ok,12\nbert,1024,fusemax,ok,4\n";
    std::ofstream(good) << text;
    r = run_einsim("report " + good + " -o " + good);
    CHECK(r.code == 1);
    CHECK(r.err.find(good + ": refusing to write the output over an input file (" + good + ")") != std::string::npos);
    CHECK(slurp(good) == text);
    // The same file by another name is still the input.
    const std::string other_name = (dir / "." / "good.csv").string();
    r = run_einsim("report " + good + " -o " + other_name);
    CHECK(r.code == 1);
    CHECK(slurp(good) == text);
    CHECK(!fs::exists(dir / "good.md"));

    // A FIFO (like a device node) is not replaced by the rename into place.
    const fs::path fifo = dir / "pipe.html";
    REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    r = run_einsim("report " + good + " -o " + fifo.string());
    CHECK(r.code == 1);
    CHECK(r.err.find(fifo.string() + ": refusing to write the output here: it exists and is not a regular file") != std::string::npos);
    CHECK(fs::is_fifo(fifo));
    CHECK(!fs::exists(dir / "pipe.md"));
    CHECK(run_einsim("report " + good + " -o " + (dir / "fine.html").string()).code == 0);
}

TEST_CASE("einsim report -o through a symbolic link writes the file the link names and keeps the link") {
    fs::path dir = fresh_dir("symlink");
    const std::string good = (dir / "good.csv").string();
    std::ofstream(good) << "model,M,design,status,cycles\nbert,1024,flat,ok,12\nbert,1024,fusemax,ok,4\n";
    fs::create_directories(dir / "reports");
    fs::create_directories(dir / "links");
    std::ofstream(dir / "reports" / "r.html") << "old report";
    // A relative link, resolved from the link's own folder.
    fs::create_symlink("../reports/r.html", dir / "links" / "r.html");
    RunResult r = run_einsim("report " + good + " -o " + (dir / "links" / "r.html").string());
    CHECK(r.code == 0);
    CHECK(fs::is_symlink(fs::symlink_status(dir / "links" / "r.html")));
    CHECK(fs::read_symlink(dir / "links" / "r.html") == "../reports/r.html");
    CHECK(slurp(dir / "reports" / "r.html").find("<svg") != std::string::npos);
    // The Markdown summary goes beside the path given, as always; no temporary file is left.
    CHECK(fs::is_regular_file(dir / "links" / "r.md"));
    for (const auto& e : fs::directory_iterator(dir / "reports")) CHECK(e.path().filename() == "r.html");

    // A link to a file not there yet (as `>` in a shell) creates it; a link to the input is still refused.
    fs::create_symlink(dir / "reports" / "new.html", dir / "dangling.html");
    CHECK(run_einsim("report " + good + " -o " + (dir / "dangling.html").string()).code == 0);
    CHECK(fs::is_symlink(fs::symlink_status(dir / "dangling.html")));
    CHECK(slurp(dir / "reports" / "new.html").find("<svg") != std::string::npos);
    fs::create_symlink(good, dir / "to_input.html");
    RunResult in = run_einsim("report " + good + " -o " + (dir / "to_input.html").string());
    CHECK(in.code == 1);
    CHECK(in.err.find((dir / "to_input.html").string() + ": refusing to write the output over an input file (" + good + ")") != std::string::npos);
    CHECK(fs::is_symlink(fs::symlink_status(dir / "to_input.html")));
    // A link to a folder is not a regular file: refused, as the folder itself is.
    fs::create_symlink(dir / "reports", dir / "to_dir.html");
    RunResult d = run_einsim("report " + good + " -o " + (dir / "to_dir.html").string());
    CHECK(d.code == 1);
    CHECK(d.err.find("refusing to write the output here: it exists and is not a regular file") != std::string::npos);
}
