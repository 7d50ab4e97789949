// The sweep's CSV file: created with its header, or reopened for --resume (the points already in it
// are skipped; a row cut short by a kill is removed); rows are appended whole, one write each.
#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "reports/csv_read.h"

namespace cli::sweep {

class CsvOutput {
public:
    // resume: keep the rows in an existing file (its header must match, and `check` must accept
    // them: it throws to refuse, before the file is touched; an empty file has none and is started
    // afresh); force: start over; neither: refuse to touch an existing file. Throws
    // einsum::InputError with the reason.
    CsvOutput(const std::string& path, const std::vector<std::string>& header, bool resume, bool force,
              const std::function<void(const reports::CsvFile&)>& check = {});
    ~CsvOutput();
    CsvOutput(const CsvOutput&) = delete;
    CsvOutput& operator=(const CsvOutput&) = delete;

    const std::set<std::string>& done() const { return done_; } // point keys already present
    void append(const std::vector<std::string>& row);           // thread-safe, one write(2)

private:
    std::string path_;
    int fd_ = -1;
    std::set<std::string> done_;
};

std::string csv_line(const std::vector<std::string>& row);

} // namespace cli::sweep
