#include "cli/job_filter.h"

#include <charconv>

#include "einsum/input_error.h"

namespace cli {
namespace {

const char* const kTextKeys[] = {"decomposition", "kernel", "dtype"};
const char* const kNumberKeys[] = {"B", "H", "Hkv", "E", "F", "M", "P"};

bool is_one_of(const std::string& k, const char* const* keys, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (k == keys[i]) return true;
    return false;
}

template <class Job>
long long number_of(const Job& j, const std::string& key) {
    if (key == "B") return j.B;
    if (key == "H") return j.H;
    if (key == "Hkv") return j.Hkv;
    if (key == "E") return j.E;
    if (key == "F") return j.F;
    if (key == "M") return j.M;
    return j.P;
}

template <class Job>
const std::string& text_of(const Job& j, const std::string& key) {
    if (key == "decomposition") return j.decomposition;
    if (key == "kernel") return j.kernel;
    return j.dtype;
}

} // namespace

JobFilter parse_job_filter(const std::string& spec, const std::string& where) {
    JobFilter f;
    f.spec = spec;
    std::size_t start = 0;
    while (start <= spec.size()) {
        std::size_t comma = spec.find(',', start);
        if (comma == std::string::npos) comma = spec.size();
        const std::string term = spec.substr(start, comma - start);
        const int column = static_cast<int>(start) + 1; // of the term within the spec
        start = comma + 1;
        auto fail = [&](const std::string& why) { throw einsum::InputError({where, 0, column, term}, why + " in '" + term + "'"); };
        std::size_t op_at = term.find_first_of("<>=");
        if (term.empty() || op_at == std::string::npos || op_at == 0) fail("expected KEY=VALUE, KEY>=VALUE or KEY<=VALUE");
        JobFilterTerm t;
        t.key = term.substr(0, op_at);
        t.op = term.compare(op_at, 2, ">=") == 0 ? ">=" : term.compare(op_at, 2, "<=") == 0 ? "<=" : term[op_at] == '=' ? "=" : "";
        if (t.op.empty()) fail("expected =, >= or <=");
        t.text = term.substr(op_at + t.op.size());
        if (t.text.empty()) fail("missing value");
        if (is_one_of(t.key, kTextKeys, std::size(kTextKeys))) {
            if (t.op != "=") fail("'" + t.key + "' takes only =");
        } else if (is_one_of(t.key, kNumberKeys, std::size(kNumberKeys))) {
            auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
            if (ec != std::errc() || end != t.text.data() + t.text.size()) fail("'" + t.text + "' is not an integer");
        } else {
            fail("unknown key '" + t.key + "' (decomposition, kernel, dtype, B, H, Hkv, E, F, M, P)");
        }
        f.terms.push_back(t);
    }
    return f;
}

namespace {

// ValidatedJob and GpuJob name the keys alike.
template <class Job>
bool matches_job(const JobFilter& f, const Job& j) {
    for (const JobFilterTerm& t : f.terms) {
        if (is_one_of(t.key, kTextKeys, std::size(kTextKeys))) {
            if (text_of(j, t.key) != t.text) return false;
            continue;
        }
        const long long v = number_of(j, t.key);
        if (t.op == "=" ? v != t.number : t.op == ">=" ? v < t.number : v > t.number) return false;
    }
    return true;
}

} // namespace

bool matches(const JobFilter& f, const ValidatedJob& j) { return matches_job(f, j); }
bool matches(const JobFilter& f, const GpuJob& j) { return matches_job(f, j); }

} // namespace cli
