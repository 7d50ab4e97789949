// The measured CSV written by `einsim-gpu run` (and by sdpa_peer.py): the job's columns, then
//   gpu,sm_count,time_us,time_us_min,time_us_max,runs,bytes,achieved_gbps,max_rel_error,status,message
// status is ok | wrong | error. bytes = Q, K, V read once + O written once (Job::min_bytes).
#pragma once

#include <ostream>
#include <string>

#include "job.h"

namespace einsim::gpu {

struct MeasuredRow {
  Job job;
  std::string gpu;
  int sm_count = 0;
  double time_us = 0, time_us_min = 0, time_us_max = 0;
  int runs = 0;
  int64_t bytes = 0;
  double achieved_gbps = 0;
  double max_rel_error = 0;
  std::string status = "error";
  std::string message;
};

std::string measured_csv_header();
std::string format_measured_row(const MeasuredRow& row);
// Quotes a field when it holds a comma, a quote or a line break.
std::string csv_escape(const std::string& field);

}  // namespace einsim::gpu
