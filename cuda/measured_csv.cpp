#include "measured_csv.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "jobs_csv.h"

namespace einsim::gpu {

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string measured_csv_header() {
  std::string h;
  for (const auto& c : job_columns()) h += c + ",";
  return h + "gpu,sm_count,time_us,time_us_min,time_us_max,runs,bytes,achieved_gbps,"
             "max_rel_error,status,message";
}

static std::string number(double x, const char* format = "%.4g") {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string format_measured_row(const MeasuredRow& r) {
  const Job& j = r.job;
  std::ostringstream s;
  s << csv_escape(j.job_id) << ',' << to_string(j.kernel) << ',' << to_string(j.decomposition)
    << ',' << to_string(j.dtype) << ',' << j.B << ',' << j.H << ',' << j.Hkv << ',' << j.E << ','
    << j.F << ',' << j.M << ',' << j.P << ',' << j.tile_m << ',' << j.tile_n << ',' << j.splits
    << ',' << j.ctas_per_sm << ',' << j.warps << ',' << j.grid_ctas << ',' << j.cluster << ','
    << csv_escape(r.gpu)
    << ',' << r.sm_count
    << ',' << number(r.time_us, "%.3f") << ',' << number(r.time_us_min, "%.3f") << ','
    << number(r.time_us_max, "%.3f") << ',' << r.runs << ',' << r.bytes << ','
    << number(r.achieved_gbps, "%.1f") << ',' << number(r.max_rel_error, "%.3e") << ','
    << r.status << ',' << csv_escape(r.message);
  return s.str();
}

}  // namespace einsim::gpu
