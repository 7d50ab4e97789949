#include "cli/sweep/csv_output.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <unistd.h>

#include "einsum/input_error.h"
#include "reports/csv_read.h"
#include "reports/located_csv.h"
#include "reports/table.h"

namespace cli::sweep {

std::string csv_line(const std::vector<std::string>& row) {
    std::string s;
    for (std::size_t i = 0; i < row.size(); ++i) s += (i ? "," : "") + reports::csv_field(row[i]);
    return s + "\n";
}

namespace {
std::mutex append_mutex;

void write_all(int fd, const std::string& s, const std::string& path) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw einsum::InputError({path, 0, 0, ""}, std::string("cannot write: ") + std::strerror(errno));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}
} // namespace

CsvOutput::CsvOutput(const std::string& path, const std::vector<std::string>& header, bool resume, bool force,
                     const std::function<void(const reports::CsvFile&)>& check)
    : path_(path) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    if (exists && !resume && !force)
        throw einsum::InputError({path, 0, 0, ""}, "output exists: use --resume to add the missing points, or --force to start over");
    // An empty file holds no rows (a run killed before its header was written): resume starts it afresh.
    const bool empty = exists && std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec;
    if (exists && resume && !empty) {
        reports::CsvFile f;
        try {
            f = reports::read_csv(path);
        } catch (const reports::CsvError& e) {
            throw einsum::InputError({e.file(), e.line(), e.column(), ""}, "cannot resume: " + e.reason());
        }
        if (f.header != header)
            throw einsum::InputError({path, 1, 1, ""}, "cannot resume: the file's columns differ from this sweep's (another sweep file or einsim version?)");
        if (check) check(f);
        int key = f.column("point_key");
        for (const auto& r : f.rows) done_.insert(r[key]);
        if (f.truncated_last_line) {
            // Cut the row a kill interrupted: keep everything up to the last complete line.
            std::string text;
            {
                std::FILE* in = std::fopen(path.c_str(), "rb");
                if (!in) throw einsum::InputError({path, 0, 0, ""}, "cannot reopen to repair");
                char buf[65536];
                std::size_t n;
                while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) text.append(buf, n);
                std::fclose(in);
            }
            std::filesystem::resize_file(path, text.rfind('\n') + 1);
        }
        fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND);
    } else {
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
        if (fd_ >= 0) write_all(fd_, csv_line(header), path);
    }
    if (fd_ < 0) throw einsum::InputError({path, 0, 0, ""}, std::string("cannot open for writing: ") + std::strerror(errno));
}

CsvOutput::~CsvOutput() {
    if (fd_ >= 0) ::close(fd_);
}

void CsvOutput::append(const std::vector<std::string>& row) {
    std::string line = csv_line(row);
    std::lock_guard<std::mutex> lock(append_mutex);
    write_all(fd_, line, path_);
}

} // namespace cli::sweep
