#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "reports/report_model.h"
#include "reports/result_rows.h"

using namespace reports;

namespace {

const char* header = "model,M,design,status,reason,cycles,energy_pj,util_2d,note\n";

ResultSet load(std::vector<std::pair<std::string, std::string>> files) {
    std::vector<LocatedCsv> csvs;
    for (const auto& [name, text] : files) csvs.push_back(parse_located_csv(text, name));
    return load_results(csvs);
}

std::string error_of(std::vector<std::pair<std::string, std::string>> files) {
    try {
        load(std::move(files));
    } catch (const CsvError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("result rows: typed keys, numbers, unknown columns carried") {
    ResultSet s = load({{"a.csv", std::string(header) + "bert,1024,flat,ok,,100,50,0.5,\"x, y\"\nbert,1024,fusemax,ok,,10,25,0.9,z\n"
                                                        "bert,2048,fusemax,illegal,does not fit,,,,\n"}});
    REQUIRE(s.rows.size() == 3);
    CHECK(s.rows[0].model == "bert");
    CHECK(s.rows[0].M == 1024);
    CHECK(s.rows[0].line == 2);
    CHECK(s.rows[1].status == PointStatus::ok);
    CHECK(s.rows[2].status == PointStatus::illegal);
    CHECK(s.rows[2].reason == "does not fit");
    CHECK(s.value(s.rows[1], "cycles") == 10);
    CHECK(std::isnan(s.value(s.rows[2], "cycles")));
    CHECK(std::isnan(s.value(s.rows[0], "no_such_column")));
    CHECK(s.cell(s.rows[0], "note") == "x, y");
    CHECK(s.variant_columns.empty());
    CHECK(s.rows[1].variant == "fusemax");
}

TEST_CASE("result rows: bad values are located") {
    CHECK(error_of({{"a.csv", "model,M,design\nbert,1,flat\n"}}) ==
          "a.csv:1: missing required column 'status' (the header has: model, M, design)");
    CHECK(error_of({{"a.csv", std::string(header) + "bert,1024,flat,OK,,1,1,1,\n"}}) == "a.csv:2:16: status must be ok, illegal or error, not 'OK'");
    CHECK(error_of({{"a.csv", std::string(header) + "bert,1k,flat,ok,,1,1,1,\n"}}) == "a.csv:2:6: M (the sequence length) must be a positive integer, not '1k'");
    CHECK(error_of({{"a.csv", std::string(header) + "bert,0,flat,ok,,1,1,1,\n"}}) == "a.csv:2:6: M (the sequence length) must be a positive integer, not '0'");
    CHECK(error_of({{"a.csv", std::string(header) + "bert,64,flat,ok,,12x,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a number, not '12x'");
    // a failed row may leave its metrics (and its M) empty or hold text
    CHECK(error_of({{"a.csv", std::string(header) + "bert,,flat,error,boom,n/a,,,\n"}}).empty());
    CHECK(error_of({{"a.csv", std::string(header) + "bert,64,flat,ok,,1,1,1,\nbert,64,flat,ok,,2,2,0.5,\n"}}) ==
          "a.csv:3: duplicate point: model bert, M 64, design flat is already at a.csv:2");
}

TEST_CASE("result rows: files combined must share their metric columns") {
    std::string a = std::string(header) + "bert,64,flat,ok,,1,1,1,\n";
    std::string b = "model,M,design,status,reason,cycles,energy_pj,note,extra\nbert,64,fusemax,ok,,1,1,,e\n";
    CHECK(error_of({{"a.csv", a}, {"b.csv", b}}) ==
          "b.csv:1: column 'util_2d' is in a.csv but not in b.csv; results combined into one report must share their metric columns");
    std::string c = std::string(header) + "bert,64,fusemax,ok,,1,1,1,\n";
    ResultSet s = load({{"a.csv", a}, {"c.csv", "model,M,design,status,reason,cycles,energy_pj,util_2d,note,arch\nbert,64,fusemax,ok,,1,1,1,,x\n"}});
    CHECK(s.rows.size() == 2);
    CHECK(s.cell(s.rows[0], "arch").empty());
    CHECK(s.cell(s.rows[1], "arch") == "x");
    REQUIRE(s.notes.size() == 1);
    CHECK(s.notes[0] == "column 'arch' is empty for rows from a.csv, which lack it");
}

TEST_CASE("parameters that differ within a (model, M, design) make variants; ids and metrics do not") {
    std::string text =
        "point,point_key,model,M,design,status,arch.array2d.rows,cycles,energy_pj\n"
        "0,k0,bert,64,flat,ok,128,400,40\n"
        "1,k1,bert,64,flat,ok,256,200,30\n"
        "2,k2,bert,64,fusemax,ok,128,100,20\n"
        "3,k3,bert,64,fusemax,ok,256,40,15\n";
    ResultSet s = load({{"s.csv", text}});
    REQUIRE(s.variant_columns == std::vector<std::string>{"arch.array2d.rows"});
    CHECK(s.rows[3].variant == "fusemax (rows=256)"); // the key path's last part names it

    ReportModel m = make_report_model(std::move(s), std::nullopt, ReportOptions{});
    CHECK(m.baseline_variants.size() == 2);
    REQUIRE(m.compared_variants.size() == 2);
    const BaselineRatio* r = m.ratio("bert", 64, "fusemax (rows=256)");
    REQUIRE(r);
    CHECK(r->speedup == doctest::Approx(200.0 / 40));     // against flat with 256 rows, not 128
    CHECK(r->energy_ratio == doctest::Approx(15.0 / 30));
    CHECK(std::isnan(r->e2e_speedup));
    REQUIRE(m.summaries.size() == 2);
    CHECK(m.summaries[0].speedup.geomean == doctest::Approx(4));
    CHECK(m.variant_colour("flat (rows=128)") != m.variant_colour("fusemax (rows=128)"));
    CHECK(m.notes.back().find("roofline left out") == 0);
}

TEST_CASE("a point in two files is a duplicate even when only one file has a parameter column") {
    // einsim compare's CSV has no arch column, einsim sweep's has one: the same (model, M, design)
    // twice, not two designs.
    const std::string compare = "model,M,design,status,cycles\nbert,64,flat,ok,10\nbert,64,fusemax,ok,4\n";
    const std::string sweep = "model,M,design,status,cycles,arch,batch\nbert,128,flat,ok,20,cloud,1\nbert,64,fusemax,ok,4,cloud,1\n";
    CHECK(error_of({{"compare.csv", compare}, {"sweep.csv", sweep}}) ==
          "sweep.csv:3: duplicate point: model bert, M 64, design fusemax (arch=cloud, batch=1) is already at compare.csv:3; the two differ only in "
          "parameter columns that one file lacks: 'arch' (not in compare.csv), 'batch' (not in compare.csv)");
    // In either order, and when the file with the column has several values of it.
    const std::string rows = "model,M,design,status,cycles,arch.array2d.rows\nbert,64,flat,ok,10,128\nbert,64,flat,ok,8,256\n";
    CHECK(error_of({{"rows.csv", rows}, {"compare.csv", compare}}) ==
          "compare.csv:2: duplicate point: model bert, M 64, design flat is already at rows.csv:2; the two differ only in parameter columns "
          "that one file lacks: 'arch.array2d.rows' (not in compare.csv)");
    // Both files with the column and different values: two designs, as within one file.
    ResultSet s = load({{"rows.csv", rows}, {"more.csv", "model,M,design,status,cycles,arch.array2d.rows\nbert,64,flat,ok,6,512\n"}});
    REQUIRE(s.rows.size() == 3);
    CHECK(s.rows[2].variant == "flat (rows=512)");
    CHECK(error_of({{"rows.csv", rows}, {"more.csv", "model,M,design,status,cycles,arch.array2d.rows\nbert,64,flat,ok,6,256\n"}}) ==
          "more.csv:2: duplicate point: model bert, M 64, design flat (rows=256) is already at rows.csv:3");
    // Other points of a file without the column are not duplicates.
    ResultSet mixed = load({{"rows.csv", rows}, {"compare.csv", "model,M,design,status,cycles\nbert,128,flat,ok,10\n"}});
    CHECK(mixed.rows.size() == 3);
}

TEST_CASE("summary statistics skip non-finite values") {
    Stats s = stats({1, 4, NAN, INFINITY});
    CHECK(s.n == 2);
    CHECK(s.mean == doctest::Approx(2.5));
    CHECK(s.geomean == doctest::Approx(2));
    CHECK(s.min == 1);
    CHECK(s.max == 4);
    CHECK(stats({}).n == 0);
}

TEST_CASE("peer comparison rows (einsim gpu-compare --out): required columns, groups, located errors") {
    const std::string head = "job_id,B,H,Hkv,E,M,ours_us,best_peer,best_peer_us,speedup_vs_best,copy_fraction\n";
    auto s = load_peer_comparison(parse_located_csv(head + "a,1,32,32,128,4096,20,torch_cudnn,19,0.95,0.86\nb,16,64,8,64,1024,40,torch_flash,44,1.1,\n", "p.csv"));
    REQUIRE(s.rows.size() == 2);
    CHECK(s.rows[0].group() == "B=1, 32/32, E=128");
    CHECK(s.rows[1].group() == "B=16, 64/8, E=64");
    CHECK(s.rows[0].M == 4096);
    CHECK(s.rows[0].speedup_vs_best == doctest::Approx(0.95));
    CHECK(s.rows[0].copy_fraction == doctest::Approx(0.86));
    CHECK(std::isnan(s.rows[1].copy_fraction)); // empty cell
    CHECK(s.rows[1].best_peer == "torch_flash");
    auto error_of = [](const std::string& text) {
        try {
            load_peer_comparison(parse_located_csv(text, "p.csv"));
        } catch (const CsvError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error_of("job_id,B,H,Hkv,E,M,ours_us,best_peer_us\na,1,1,1,64,64,1,1\n").rfind("p.csv:1: missing required column 'speedup_vs_best'", 0) == 0);
    CHECK(error_of(head + "a,1,32,32,128,4k,20,x,19,0.95,\n") == "p.csv:2:15: column 'M' must be a positive number, not '4k'");
    CHECK(error_of(head + "a,1,32,32,128,4096.5,20,x,19,0.95,\n") == "p.csv:2:15: column 'M' must be a positive integer, not '4096.5'");
    CHECK(error_of(head + "a,1,32,32,128,4096,0,x,19,0.95,\n") == "p.csv:2:20: column 'ours_us' must be a positive number, not '0'");
    CHECK(error_of(head + "a,1,32,32,128,4096,20,x,19,0.95,most\n") == "p.csv:2:33: column 'copy_fraction' must be a number, not 'most'");
    // Without target columns the set names no target.
    CHECK(std::isnan(s.target_speedup));
    CHECK(std::isnan(s.target_copy_fraction));
    // Target columns: one value each (empty cells allowed), a second value is an error at its cell.
    const std::string thead = "job_id,B,H,Hkv,E,M,ours_us,best_peer_us,speedup_vs_best,target_speedup,target_copy_fraction\n";
    auto t = load_peer_comparison(parse_located_csv(thead + "a,1,1,1,64,64,1,1,1,0.95,\nb,1,1,1,64,128,1,1,1,0.95,0.9\n", "p.csv"));
    CHECK(t.target_speedup == doctest::Approx(0.95));
    CHECK(t.target_copy_fraction == doctest::Approx(0.9));
    CHECK(error_of(thead + "a,1,1,1,64,64,1,1,1,0.95,\nb,1,1,1,64,128,1,1,1,1.3,\n") ==
          "p.csv:3:22: column 'target_speedup' is 1.3 here and 0.95 on line 2: one comparison holds its jobs to one target");
    CHECK(error_of(thead + "a,1,1,1,64,64,1,1,1,0.95,none\n") == "p.csv:2:26: column 'target_copy_fraction' must be a positive number, not 'none'");
}

TEST_CASE("validation rows: required columns, numbers, computed error") {
    auto v = load_validation(parse_located_csv("job_id,predicted_us,measured_us\nj1,110,100\nj2,,50\n", "v.csv"));
    REQUIRE(v.rows.size() == 2);
    CHECK(v.rows[0].abs_pct_err == doctest::Approx(10));
    CHECK(std::isnan(v.rows[1].predicted_us));
    try {
        load_validation(parse_located_csv("job_id,predicted_us\nj1,1\n", "v.csv"));
        FAIL("no error");
    } catch (const CsvError& e) {
        CHECK(std::string(e.what()) == "v.csv:1: missing required column 'measured_us' in the validation file (the header has: job_id, predicted_us)");
    }
    try {
        load_validation(parse_located_csv("job_id,predicted_us,measured_us\nj1,fast,1\n", "v.csv"));
        FAIL("no error");
    } catch (const CsvError& e) {
        CHECK(std::string(e.what()) == "v.csv:2:4: column 'predicted_us' must be a number, not 'fast'");
    }
}

TEST_CASE("with many designs the plots keep the fastest compared ones and their baselines, each in its own colour") {
    std::string text = "model,M,design,status,p,cycles,energy_pj\n";
    for (int p = 1; p <= 20; ++p) {
        text += "bert,64,flat,ok," + std::to_string(p) + ",1000,10\n";
        text += "bert,64,fusemax,ok," + std::to_string(p) + "," + std::to_string(1000 / p) + ",5\n";
    }
    ReportModel m = make_report_model(load({{"s.csv", text}}), std::nullopt, ReportOptions{});
    CHECK(m.variants.size() == 40);
    CHECK(m.plotted_variants.size() == max_plotted_variants);
    REQUIRE(m.plotted_compared.size() == max_plotted_variants * 2 / 3);
    CHECK(m.plotted_compared.front() == "fusemax (p=13)"); // file order among the chosen: p = 13..20 are the fastest
    CHECK(m.plotted_compared.back() == "fusemax (p=20)");
    std::set<std::string> colours;
    for (const auto& v : m.plotted_compared) colours.insert(m.variant_colour(v));
    CHECK(colours.size() == m.plotted_compared.size());
    CHECK(m.notes.back().find("40 designs: the plots show 12") == 0);
}

TEST_CASE("result rows: an ok row needs a positive finite cycles, finite non-negative metrics, utilizations up to 1 and a known bound") {
    CHECK(error_of({{"a.csv", "model,M,design,status,energy_pj\nbert,64,flat,ok,1\n"}}) ==
          "a.csv:1: missing required column 'cycles' (the header has: model, M, design, status, energy_pj)");
    const std::string h = header;
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,nan,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a finite number, not 'nan'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,inf,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a finite number, not 'inf'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,-5,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a positive number in an ok row, not '-5'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,0,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a positive number in an ok row, not '0'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,,1,1,\n"}}) == "a.csv:2:18: column 'cycles' must be a positive number in an ok row, not ''");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,1,nan,1,\n"}}) == "a.csv:2:20: column 'energy_pj' must be a finite number, not 'nan'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,1,-2,1,\n"}}) == "a.csv:2:20: column 'energy_pj' must not be negative, not '-2'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,1,1,5,\n"}}) == "a.csv:2:22: column 'util_2d' is a utilization: at most 1, not '5'");
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,1,1,-0.5,\n"}}) == "a.csv:2:22: column 'util_2d' must not be negative, not '-0.5'");
    CHECK(error_of({{"a.csv", "model,M,design,status,cycles,bound\nbert,64,flat,ok,1,quantum\n"}}) ==
          "a.csv:2:19: column 'bound' must be array2d, array1d, dram, global_buffer or compute, not 'quantum'");
    CHECK(error_of({{"a.csv", "model,M,design,status,cycles,bound\nbert,64,flat,ok,1,dram\nbert,64,fusemax,ok,1,\n"}}).empty());
    CHECK(error_of({{"a.csv", h + "bert,64,flat,ok,,1,1,1,\n"}}).empty());
    // a failed row's metrics are not checked
    CHECK(error_of({{"a.csv", h + "bert,64,flat,illegal,no fit,nan,-1,5,\n"}}).empty());
}
