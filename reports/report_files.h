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

// Writes (path, content) pairs atomically as a set (see above). Throws std::runtime_error naming the
// path and the system's reason when a file cannot be written; temporary files are removed.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

} // namespace reports
