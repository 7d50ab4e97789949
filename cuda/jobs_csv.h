// Reads the jobs CSV that drives `einsim-gpu run`: a header row naming the columns
//   job_id,kernel,decomposition,dtype,B,H,Hkv,E,F,M,P,tile_m,tile_n,splits,ctas_per_sm,warps
// and optionally grid_ctas (stream_k's grid) and cluster (stream_k's CTAs a thread-block cluster:
// 0, or 2..kMaxClusterCtas), each 0 when left out, in any order, then one job a row.
// Errors name the file, line and column (1-based).
#pragma once

#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "job.h"

namespace einsim::gpu {

// The columns of the jobs CSV (grid_ctas and cluster last, the ones that may be left out), in the
// order einsim-gpu writes them back.
const std::vector<std::string>& job_columns();

struct JobsCsvError : std::runtime_error {
  JobsCsvError(const std::string& file, int line, int column, const std::string& what);
  std::string file;
  int line;
  int column;
};

// `source_name` is used in error messages only.
std::vector<Job> parse_jobs_csv(std::istream& in, const std::string& source_name);
std::vector<Job> read_jobs_csv(const std::string& path);

// Splits one CSV line on commas; a field may be double-quoted ("a,b", "" for a quote).
// Each field keeps the 1-based column where it starts. Throws std::invalid_argument on an
// unterminated quote.
struct CsvField {
  std::string text;
  int column = 1;
};
std::vector<CsvField> split_csv_line(const std::string& line);

}  // namespace einsim::gpu
