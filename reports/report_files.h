// Writing a report's files all or nothing: each goes to a temporary file in its own folder and is
// renamed into place only once every one of them has been written, so that a reader never sees a
// partial report and a failure leaves no new file behind.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace reports {

// The Markdown summary's path for an HTML report path: report.html -> report.md, out/r.htm -> out/r.md,
// name -> name.md.
std::string markdown_path_for(const std::string& html_path);

// Refuses (std::runtime_error naming the path) an output path that is one of `inputs` (compared as
// canonical paths, so ./a.csv and a.csv are the same file) or that exists and is not a regular file
// (a device such as /dev/full, a folder, a FIFO): the rename into place would replace it.
void check_output_path(const std::string& path, const std::vector<std::string>& inputs = {});

// Writes (path, content) pairs atomically as a set (see above), after check_output_path on each
// path; two of the paths naming one file are refused. A path that is a symbolic link is written
// through: the file it points to is replaced (its temporary file in that file's folder), the link kept. Throws std::runtime_error naming the path and the system's reason when a file cannot be
// written; temporary files are removed.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files, const std::vector<std::string>& inputs = {});

} // namespace reports
