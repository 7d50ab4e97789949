// Runs the einsim executable as a user would and captures its output and exit code.
#pragma once
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

struct RunResult {
    int code = -1;
    std::string out, err;
};

inline RunResult run_einsim(const std::string& args) {
    static int counter = 0;
    std::string err_file = std::string(EINSIM_BINARY_DIR) + "/tests/cli/stderr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".txt";
    std::string cmd = std::string(EINSIM_BINARY_DIR) + "/einsim " + args + " 2>" + err_file;
    RunResult r;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    int status = ::pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (FILE* f = std::fopen(err_file.c_str(), "r")) {
        while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) r.err.append(buf.data(), n);
        std::fclose(f);
        std::remove(err_file.c_str());
    }
    return r;
}
