#include "reports/report_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace reports {
namespace {

std::string system_error(const std::string& what, const std::string& path) {
    return path + ": cannot " + what + ": " + std::strerror(errno);
}

// Writes `content` to a new temporary file beside `path`; returns the temporary file's name.
std::string write_temporary(const std::string& path, const std::string& content) {
    std::filesystem::path p(path);
    std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    std::string pattern = (dir / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error(system_error("create a temporary file in " + dir.string(), path));
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::string msg = system_error("write", pattern);
            ::close(fd);
            ::unlink(pattern.c_str());
            throw std::runtime_error(msg);
        }
        done += static_cast<std::size_t>(n);
    }
    // mkstemp makes the file private (0600); a report is an ordinary document.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::string msg = system_error("write", pattern);
        ::unlink(pattern.c_str());
        throw std::runtime_error(msg);
    }
    return pattern;
}

// Where a write to `path` lands: through every symbolic link to the file it names (which need not
// exist yet, as for `>` in a shell), so that the rename into place replaces that file and keeps the
// link, rather than replacing the link with a regular file.
std::string link_target(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path p(path);
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(p, ec)) || ec) return p.string();
        fs::path target = fs::read_symlink(p, ec);
        if (ec) throw std::runtime_error(path + ": cannot read the symbolic link " + p.string() + ": " + ec.message());
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    throw std::runtime_error(path + ": cannot write: too many levels of symbolic links");
}

} // namespace

std::string markdown_path_for(const std::string& html_path) {
    std::filesystem::path p(html_path);
    std::string ext = p.extension().string();
    if (ext == ".html" || ext == ".htm" || ext == ".HTML" || ext == ".HTM") return p.replace_extension(".md").string();
    return html_path + ".md";
}

void check_output_path(const std::string& path, const std::vector<std::string>& inputs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st))
        throw std::runtime_error(path + ": refusing to write the output here: it exists and is not a regular file (a device, a folder or a pipe)");
    fs::path out = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) return; // the write itself will say what is wrong with the path
    for (const auto& in : inputs) {
        std::error_code ec2;
        fs::path p = fs::weakly_canonical(fs::absolute(in, ec2), ec2);
        if (!ec2 && p == out) throw std::runtime_error(path + ": refusing to write the output over an input file (" + in + ")");
    }
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files, const std::vector<std::string>& inputs) {
    for (const auto& [path, content] : files) check_output_path(path, inputs);
    // Two outputs at one path would leave only the last one's content.
    auto canonical = [](const std::string& p) {
        std::error_code ec;
        std::filesystem::path c = std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
        return ec ? std::filesystem::path(p) : c;
    };
    for (std::size_t i = 0; i < files.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (canonical(files[i].first) == canonical(files[k].first))
                throw std::runtime_error(files[i].first + ": refusing to write two outputs to one file (also given as " + files[k].first + ")");
    std::vector<std::string> targets, temps;
    for (const auto& [path, content] : files) targets.push_back(link_target(path));
    try {
        for (std::size_t i = 0; i < files.size(); ++i) temps.push_back(write_temporary(targets[i], files[i].second));
    } catch (...) {
        for (const auto& t : temps) ::unlink(t.c_str());
        throw;
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (std::rename(temps[i].c_str(), targets[i].c_str()) != 0) {
            std::string msg = system_error("replace", files[i].first);
            for (std::size_t j = i; j < temps.size(); ++j) ::unlink(temps[j].c_str());
            throw std::runtime_error(msg);
        }
    }
}

} // namespace reports
