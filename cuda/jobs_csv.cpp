#include "jobs_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "stream_k_cluster.h"

namespace einsim::gpu {

const char* to_string(Kernel k) { return k == Kernel::decode ? "decode" : "prefill"; }
const char* to_string(Decomposition d) {
  switch (d) {
    case Decomposition::data_parallel: return "data_parallel";
    case Decomposition::split_k: return "split_k";
    case Decomposition::stream_k: return "stream_k";
  }
  return "?";
}
const char* to_string(DType t) { return t == DType::fp16 ? "fp16" : "bf16"; }

const std::vector<std::string>& job_columns() {
  static const std::vector<std::string> columns = {
      "job_id", "kernel", "decomposition", "dtype", "B", "H", "Hkv", "E", "F", "M", "P",
      "tile_m", "tile_n", "splits", "ctas_per_sm", "warps", "grid_ctas", "cluster"};
  return columns;
}

static std::string format_location(const std::string& file, int line, int column,
                                   const std::string& what) {
  std::ostringstream s;
  s << file << ":" << line << ":" << column << ": " << what;
  return s.str();
}

JobsCsvError::JobsCsvError(const std::string& f, int l, int c, const std::string& what)
    : std::runtime_error(format_location(f, l, c, what)), file(f), line(l), column(c) {}

std::vector<CsvField> split_csv_line(const std::string& line) {
  std::vector<CsvField> fields;
  size_t i = 0;
  for (;;) {
    CsvField field;
    field.column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size())
          throw std::invalid_argument("unterminated quoted field starting at column " +
                                      std::to_string(field.column));
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text += line[i++];
      }
      // Text after the closing quote up to the comma is kept as is.
      while (i < line.size() && line[i] != ',') field.text += line[i++];
    } else {
      while (i < line.size() && line[i] != ',') field.text += line[i++];
    }
    fields.push_back(field);
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

static std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

namespace {

struct RowReader {
  const std::string& file;
  int line;
  const std::vector<CsvField>& fields;
  const std::vector<int>& index_of;  // canonical column -> field index

  const CsvField& field(int canonical) const { return fields[index_of[canonical]]; }
  [[noreturn]] void fail(int canonical, const std::string& what) const {
    throw JobsCsvError(file, line, field(canonical).column,
                       "column '" + job_columns()[canonical] + "': " + what);
  }
  std::string text(int canonical) const { return trim(field(canonical).text); }

  int64_t integer(int canonical, int64_t min_value) const {
    const std::string t = text(canonical);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size())
      fail(canonical, "expected an integer, got '" + t + "'");
    if (v < min_value)
      fail(canonical, "expected an integer >= " + std::to_string(min_value) + ", got " + t);
    return v;
  }
  template <class Enum>
  Enum choice(int canonical, const std::vector<std::pair<const char*, Enum>>& options) const {
    const std::string t = text(canonical);
    std::string expected;
    for (const auto& [name, value] : options) {
      if (t == name) return value;
      expected += (expected.empty() ? "" : "|") + std::string(name);
    }
    fail(canonical, "expected " + expected + ", got '" + t + "'");
  }
};

enum Col { kJobId, kKernel, kDecomp, kDType, kB, kH, kHkv, kE, kF, kM, kP, kTileM, kTileN,
           kSplits, kCtasPerSm, kWarps, kGridCtas, kCluster, kNumCols };
constexpr int kFirstOptional = kGridCtas;  // columns from here on may be left out (default 0)

}  // namespace

std::vector<Job> parse_jobs_csv(std::istream& in, const std::string& source_name) {
  std::vector<Job> jobs;
  std::string line;
  int line_no = 0;
  std::vector<int> index_of(kNumCols, -1);
  size_t header_fields = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#') continue;  // blank lines and comments
    std::vector<CsvField> fields;
    try {
      fields = split_csv_line(line);
    } catch (const std::invalid_argument& e) {
      throw JobsCsvError(source_name, line_no, 1, e.what());
    }
    if (!have_header) {
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string name = trim(fields[i].text);
        const auto& cols = job_columns();
        auto it = std::find(cols.begin(), cols.end(), name);
        if (it == cols.end())
          throw JobsCsvError(source_name, line_no, fields[i].column,
                             "unknown column '" + name + "'");
        const int c = static_cast<int>(it - cols.begin());
        if (index_of[c] >= 0)
          throw JobsCsvError(source_name, line_no, fields[i].column,
                             "duplicate column '" + name + "'");
        index_of[c] = static_cast<int>(i);
      }
      for (int c = 0; c < kFirstOptional; ++c)
        if (index_of[c] < 0)
          throw JobsCsvError(source_name, line_no, 1,
                             "missing column '" + job_columns()[c] + "'");
      header_fields = fields.size();
      have_header = true;
      continue;
    }
    if (fields.size() != header_fields) {
      const int col = fields.size() > header_fields ? fields[header_fields].column
                                                    : static_cast<int>(line.size()) + 1;
      throw JobsCsvError(source_name, line_no, col,
                         "expected " + std::to_string(header_fields) + " fields, got " +
                             std::to_string(fields.size()));
    }
    RowReader r{source_name, line_no, fields, index_of};
    Job j;
    j.job_id = r.text(kJobId);
    if (j.job_id.empty()) r.fail(kJobId, "job_id must not be empty");
    j.kernel = r.choice<Kernel>(kKernel, {{"decode", Kernel::decode}, {"prefill", Kernel::prefill}});
    j.decomposition = r.choice<Decomposition>(
        kDecomp, {{"data_parallel", Decomposition::data_parallel},
                  {"split_k", Decomposition::split_k},
                  {"stream_k", Decomposition::stream_k}});
    j.dtype = r.choice<DType>(kDType, {{"fp16", DType::fp16}, {"bf16", DType::bf16}});
    j.B = r.integer(kB, 1);
    j.H = r.integer(kH, 1);
    j.Hkv = r.integer(kHkv, 1);
    j.E = r.integer(kE, 1);
    j.F = r.integer(kF, 1);
    j.M = r.integer(kM, 1);
    j.P = r.integer(kP, 1);
    j.tile_m = r.integer(kTileM, 0);
    j.tile_n = r.integer(kTileN, 1);
    j.splits = r.integer(kSplits, 0);
    j.ctas_per_sm = r.integer(kCtasPerSm, 1);
    j.warps = r.integer(kWarps, 1);
    j.grid_ctas = index_of[kGridCtas] >= 0 ? r.integer(kGridCtas, 0) : 0;
    if (j.grid_ctas > 0 && j.decomposition != Decomposition::stream_k)
      r.fail(kGridCtas, "grid_ctas applies to stream_k only (0 elsewhere)");
    j.cluster = index_of[kCluster] >= 0 ? r.integer(kCluster, 0) : 0;
    if (j.cluster == 1 || j.cluster > kMaxClusterCtas)
      r.fail(kCluster, "expected 0 (no cluster) or 2.." + std::to_string(kMaxClusterCtas) +
                           " CTAs a cluster, got " + std::to_string(j.cluster));
    if (j.cluster > 0 && j.decomposition != Decomposition::stream_k)
      r.fail(kCluster, "cluster applies to stream_k only (0 elsewhere)");
    if (j.H % j.Hkv != 0)
      r.fail(kHkv, "H (" + std::to_string(j.H) + ") must be a multiple of Hkv (" +
                       std::to_string(j.Hkv) + ")");
    if (j.kernel == Kernel::prefill && j.decomposition != Decomposition::data_parallel)
      r.fail(kDecomp, "prefill supports only data_parallel");
    for (const auto& other : jobs)
      if (other.job_id == j.job_id) r.fail(kJobId, "duplicate job_id '" + j.job_id + "'");
    jobs.push_back(j);
  }
  if (!have_header) throw JobsCsvError(source_name, line_no + 1, 1, "no header row");
  return jobs;
}

std::vector<Job> read_jobs_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw JobsCsvError(path, 0, 0, "cannot open file");
  return parse_jobs_csv(in, path);
}

}  // namespace einsim::gpu
