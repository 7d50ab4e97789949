#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "cuda/jobs_csv.h"

using namespace einsim::gpu;

namespace {

const char* kHeader =
    "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps\n";

std::vector<Job> parse(const std::string& text) {
  std::istringstream in(text);
  return parse_jobs_csv(in, "jobs.csv");
}

// The message of the error that parsing `text` raises, with its line and column.
std::string error_of(const std::string& text, int* line = nullptr, int* column = nullptr) {
  try {
    parse(text);
  } catch (const JobsCsvError& e) {
    if (line) *line = e.line;
    if (column) *column = e.column;
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a good jobs file parses, columns in any order, comments and blank lines skipped") {
  const std::string text =
      "# decode sweep\n"
      "warps,job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm\n"
      "4,d1,decode,split_k,bf16,2,32,8,128,128,4096,1,0,64,0,2\n"
      "\n"
      "8,\"p,1\",prefill,data_parallel,fp16,1,8,8,64,64,1024,1024,128,64,0,1\r\n";
  const auto jobs = parse(text);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].job_id == "d1");
  CHECK(jobs[0].kernel == Kernel::decode);
  CHECK(jobs[0].decomposition == Decomposition::split_k);
  CHECK(jobs[0].dtype == DType::bf16);
  CHECK(jobs[0].B == 2);
  CHECK(jobs[0].H == 32);
  CHECK(jobs[0].Hkv == 8);
  CHECK(jobs[0].group() == 4);
  CHECK(jobs[0].M == 4096);
  CHECK(jobs[0].tile_n == 64);
  CHECK(jobs[0].splits == 0);
  CHECK(jobs[0].ctas_per_sm == 2);
  CHECK(jobs[0].warps == 4);
  CHECK(jobs[1].job_id == "p,1");
  CHECK(jobs[1].kernel == Kernel::prefill);
  CHECK(jobs[1].dtype == DType::fp16);
  CHECK(jobs[1].tile_m == 128);
  CHECK(jobs[1].warps == 8);
}

TEST_CASE("bytes moved: Q, K, V read and O written, two bytes an element") {
  const auto jobs = parse(std::string(kHeader) + "j,decode,data_parallel,fp16,2,8,2,64,32,100,3,0,64,0,1,4\n");
  const Job& j = jobs.at(0);
  CHECK(j.min_bytes() == 2 * (2 * 8 * 3 * 64 + 2 * 2 * 100 * 64 + 2 * 2 * 100 * 32 + 2 * 8 * 3 * 32));
}

TEST_CASE("header errors name the line and column") {
  int line = 0, column = 0;
  std::string msg = error_of(
      "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,"
      "colour\n",
      &line, &column);
  CHECK(msg.find("jobs.csv:1:") == 0);
  CHECK(msg.find("unknown column 'colour'") != std::string::npos);
  CHECK(line == 1);
  CHECK(column == 90);

  msg = error_of("job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,warps\n");
  CHECK(msg.find("missing column 'ctas_per_sm'") != std::string::npos);

  msg = error_of("job_id,job_id\n", &line, &column);
  CHECK(msg.find("duplicate column 'job_id'") != std::string::npos);
  CHECK(column == 8);

  msg = error_of("# only a comment\n\n", &line);
  CHECK(msg.find("no header row") != std::string::npos);
}

TEST_CASE("row errors name the line, the column and what was expected") {
  int line = 0, column = 0;
  // Line 3 (a comment on line 2), B is "two" at column 30.
  std::string text = std::string(kHeader) + "# c\n" + "d1,decode,data_parallel,fp16,two,8,8,128,128,64,1,0,64,0,1,4\n";
  std::string msg = error_of(text, &line, &column);
  CHECK(line == 3);
  CHECK(column == 30);
  CHECK(msg.find("jobs.csv:3:30:") == 0);
  CHECK(msg.find("column 'B': expected an integer, got 'two'") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,encode,data_parallel,fp16,1,8,8,128,128,64,1,0,64,0,1,4\n",
                 &line, &column);
  CHECK(column == 4);
  CHECK(msg.find("expected decode|prefill, got 'encode'") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,tiled,fp16,1,8,8,128,128,64,1,0,64,0,1,4\n");
  CHECK(msg.find("expected data_parallel|split_k|stream_k") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp32,1,8,8,128,128,64,1,0,64,0,1,4\n");
  CHECK(msg.find("column 'dtype': expected fp16|bf16, got 'fp32'") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,3,128,128,64,1,0,64,0,1,4\n",
                 &line, &column);
  CHECK(msg.find("H (8) must be a multiple of Hkv (3)") != std::string::npos);
  CHECK(column == 28);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,8,128,128,0,1,0,64,0,1,4\n");
  CHECK(msg.find("column 'M': expected an integer >= 1, got 0") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,-2,1,4\n");
  CHECK(msg.find("column 'splits': expected an integer >= 0, got -2") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1,4.5\n");
  CHECK(msg.find("column 'warps': expected an integer, got '4.5'") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,prefill,stream_k,fp16,1,8,8,128,128,64,64,64,64,0,1,4\n");
  CHECK(msg.find("prefill supports only data_parallel") != std::string::npos);

  msg = error_of(std::string(kHeader) + ",decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1,4\n",
                 &line, &column);
  CHECK(msg.find("job_id must not be empty") != std::string::npos);
  CHECK(column == 1);

  msg = error_of(std::string(kHeader) + "a,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1,4\n" +
                 "a,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1,4\n",
                 &line);
  CHECK(line == 3);
  CHECK(msg.find("duplicate job_id 'a'") != std::string::npos);
}

TEST_CASE("rows with the wrong number of fields and broken quotes are errors") {
  int line = 0, column = 0;
  std::string msg =
      error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1\n", &line,
               &column);
  CHECK(line == 2);
  CHECK(msg.find("expected 16 fields, got 15") != std::string::npos);

  msg = error_of(std::string(kHeader) + "d1,decode,split_k,fp16,1,8,8,128,128,64,1,0,64,0,1,4,9\n",
                 &line, &column);
  CHECK(msg.find("expected 16 fields, got 17") != std::string::npos);
  CHECK(column == 54);

  msg = error_of(std::string(kHeader) + "\"d1,decode,split_k\n", &line);
  CHECK(line == 2);
  CHECK(msg.find("unterminated quoted field") != std::string::npos);
}

TEST_CASE("a missing file is an error naming it") {
  CHECK_THROWS_WITH_AS(read_jobs_csv("/nonexistent/jobs.csv"),
                       "/nonexistent/jobs.csv:0:0: cannot open file", JobsCsvError);
}

TEST_CASE("CSV line splitting keeps the column where each field starts") {
  const auto f = split_csv_line("a,\"b,\"\"c\"\"\",,d");
  REQUIRE(f.size() == 4);
  CHECK(f[0].text == "a");
  CHECK(f[1].text == "b,\"c\"");
  CHECK(f[1].column == 3);
  CHECK(f[2].text.empty());
  CHECK(f[2].column == 13);
  CHECK(f[3].text == "d");
  CHECK(f[3].column == 14);
}

TEST_CASE("grid_ctas: optional (0 when left out), stream_k only, not negative") {
  CHECK(parse(std::string(kHeader) + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n")
            .at(0)
            .grid_ctas == 0);
  const std::string header =
      "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,"
      "grid_ctas\n";
  const auto jobs = parse(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,100\n" +
                          "b,decode,split_k,fp16,1,8,8,64,64,1024,1,0,64,0,1,4,0\n");
  CHECK(jobs.at(0).grid_ctas == 100);
  CHECK(jobs.at(1).grid_ctas == 0);
  int line = 0, column = 0;
  std::string msg = error_of(header + "b,decode,split_k,fp16,1,8,8,64,64,1024,1,0,64,0,1,4,8\n",
                             &line, &column);
  CHECK(msg.find("grid_ctas applies to stream_k only") != std::string::npos);
  CHECK(line == 2);
  CHECK(column == 53);  // the grid_ctas field
  msg = error_of(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,-1\n");
  CHECK(msg.find("column 'grid_ctas': expected an integer >= 0") != std::string::npos);
}

TEST_CASE("cluster: optional (0 when left out), 0 or 2..16, stream_k only") {
  CHECK(parse(std::string(kHeader) + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n")
            .at(0)
            .cluster == 0);
  const std::string header =
      "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,"
      "grid_ctas,cluster\n";
  const auto jobs = parse(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,64,4\n" +
                          "b,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,128,16\n" +
                          "c,decode,split_k,fp16,1,8,8,64,64,1024,1,0,64,0,1,4,0,0\n");
  CHECK(jobs.at(0).grid_ctas == 64);
  CHECK(jobs.at(0).cluster == 4);
  CHECK(jobs.at(1).cluster == 16);
  CHECK(jobs.at(2).cluster == 0);
  // Without grid_ctas, and in another position.
  const auto alone = parse(
      "cluster,job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,"
      "warps\n2,a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4\n");
  CHECK(alone.at(0).cluster == 2);
  CHECK(alone.at(0).grid_ctas == 0);

  int line = 0, column = 0;
  std::string msg = error_of(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,100,1\n",
                             &line, &column);
  CHECK(msg.find("jobs.csv:2:58: column 'cluster': expected 0 (no cluster) or 2..16 CTAs a "
                 "cluster, got 1") == 0);
  CHECK(line == 2);
  CHECK(column == 58);
  msg = error_of(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,100,17\n");
  CHECK(msg.find("jobs.csv:2:58: column 'cluster': expected 0 (no cluster) or 2..16") == 0);
  CHECK(msg.find("got 17") != std::string::npos);
  msg = error_of(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,100,-2\n");
  CHECK(msg.find("jobs.csv:2:58: column 'cluster': expected an integer >= 0, got -2") == 0);
  msg = error_of(header + "a,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,100,two\n");
  CHECK(msg.find("jobs.csv:2:58: column 'cluster': expected an integer, got 'two'") == 0);
  msg = error_of(header + "b,decode,split_k,fp16,1,8,8,64,64,1024,1,0,64,0,1,4,0,2\n", &line,
                 &column);
  CHECK(msg.find("jobs.csv:2:55: column 'cluster': cluster applies to stream_k only") == 0);
  CHECK(column == 55);
  msg = error_of(
      "job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps,"
      "cluster\na,decode,stream_k,fp16,1,8,8,64,64,1024,1,0,64,0,2,4,1\n",
      &line, &column);
  CHECK(column == 54);
  CHECK(msg.find("column 'cluster'") != std::string::npos);
}
