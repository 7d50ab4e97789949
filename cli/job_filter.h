// A filter over validated GPU jobs, written as comma-separated terms KEY OP VALUE: KEY one of
// decomposition, kernel, dtype (OP =) or B, H, Hkv, E, F, M, P (OP =, >=, <=; integers). A job
// matches when every term holds. `einsim validate --fit-set` names with one the jobs a preset's
// fitted constants were fitted on, so that the summary can report the others apart.
#pragma once
#include <string>
#include <vector>

#include "cli/gpu_validation.h"

namespace cli {

struct JobFilterTerm {
    std::string key, op, text; // text: the value as written
    long long number = 0;      // for the integer keys
};

struct JobFilter {
    std::string spec; // as written
    std::vector<JobFilterTerm> terms;
};

// Throws einsum::InputError located at {where, 0, the term's column in the spec, term} on an empty spec, an unknown key, an
// operator the key does not take, or a value that is not an integer for an integer key.
JobFilter parse_job_filter(const std::string& spec, const std::string& where);
bool matches(const JobFilter& f, const ValidatedJob& j);
bool matches(const JobFilter& f, const GpuJob& j);

} // namespace cli
