#include "cli/sweep/mpi_runner.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/sweep/csv_output.h"
#include "cli/sweep/evaluate_point.h"
#include "cli/sweep/finished_rows.h"
#include "cli/sweep/points.h"

#ifdef EINSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace cli::sweep {

#ifdef EINSIM_HAVE_MPI
bool mpi_available() { return true; }

namespace {
constexpr int tag_request = 1, tag_work = 2, tag_row = 3;

void send_string(const std::string& s, int dest, int tag) {
    MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}
} // namespace

RunStats run_sweep_mpi(const SweepSpec& s, const RunOptions& o, int* rank_out) {
    MPI_Init(nullptr, nullptr);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *rank_out = rank;
    RunStats st;
    if (size == 1) {
        st = run_sweep(s, o);
        MPI_Finalize();
        return st;
    }
    auto start = std::chrono::steady_clock::now();
    std::vector<Point> points = enumerate_points(s);
    if (rank == 0) {
        std::unique_ptr<CsvOutput> out;
        std::string error;
        try {
            out = std::make_unique<CsvOutput>(o.out, row_columns(s), o.resume, o.force,
                                              [&](const reports::CsvFile& f) { check_resumable(s, f, o.shard_index, o.shard_count); });
        } catch (const std::exception& e) {
            error = e.what();
        }
        std::vector<long long> todo;
        if (out)
            for (std::size_t i = 0; i < points.size(); ++i) {
                if (out->done().count(points[i].key())) ++st.skipped;
                else todo.push_back(static_cast<long long>(i));
            }
        st.total = points.size();
        if (out) {
            RunStats started = st;
            started.running = true;
            write_sidecar(s, o, started, "mpi");
        }
        const std::vector<std::string> columns = row_columns(s);
        const std::size_t status = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "status") - columns.begin());
        std::size_t next = 0;
        int active = size - 1;
        while (active > 0) {
            MPI_Status probe;
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &probe);
            int count = 0;
            MPI_Get_count(&probe, MPI_CHAR, &count);
            std::string msg(static_cast<std::size_t>(count), '\0');
            MPI_Recv(msg.data(), count, MPI_CHAR, probe.MPI_SOURCE, probe.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (probe.MPI_TAG == tag_row && out) {
                std::vector<std::string> row = nlohmann::json::parse(msg).get<std::vector<std::string>>();
                if (row[status] != "ok") ++st.illegal;
                out->append(row);
                ++st.run;
            }
            long long work = (!error.empty() || next >= todo.size()) ? -1 : todo[next++];
            MPI_Send(&work, 1, MPI_LONG_LONG, probe.MPI_SOURCE, tag_work, MPI_COMM_WORLD);
            if (work < 0) --active;
        }
        st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        MPI_Finalize();
        if (!error.empty()) throw einsum::InputError({o.out, 0, 0, ""}, error);
        return st;
    }
    PointCache cache;
    send_string("", 0, tag_request);
    for (;;) {
        long long work = -1;
        MPI_Recv(&work, 1, MPI_LONG_LONG, 0, tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (work < 0) break;
        send_string(nlohmann::json(evaluate_point(s, points[static_cast<std::size_t>(work)], cache)).dump(), 0, tag_row);
        ++st.run;
    }
    st.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MPI_Finalize();
    return st;
}
#else
bool mpi_available() { return false; }
RunStats run_sweep_mpi(const SweepSpec&, const RunOptions&, int*) {
    throw einsum::InputError({"--mpi", 0, 0, ""}, "this einsim was built without MPI (install libopenmpi-dev and rebuild)");
}
#endif

} // namespace cli::sweep
