#include "einsum/dag.h"

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

namespace einsum {

CascadeGraph build_graph(const Cascade& c) {
    CascadeGraph g(c.einsums.size());
    for (std::size_t consumer = 0; consumer < c.einsums.size(); ++consumer) {
        std::vector<const Access*> reads;
        c.einsums[consumer].expr.collect_accesses(reads);
        std::vector<std::string> seen;
        for (const Access* a : reads) {
            if (std::find(seen.begin(), seen.end(), a->tensor) != seen.end()) continue;
            seen.push_back(a->tensor);
            for (std::size_t producer = 0; producer < c.einsums.size(); ++producer)
                if (producer != consumer && c.einsums[producer].name == a->tensor)
                    boost::add_edge(producer, consumer, DagEdge{a->tensor}, g);
        }
    }
    return g;
}

namespace {
struct CycleFinder : boost::default_dfs_visitor {
    std::vector<int>* cycle;
    std::vector<int>* parent;
    void tree_edge(CascadeGraph::edge_descriptor e, const CascadeGraph& g) const {
        (*parent)[boost::target(e, g)] = static_cast<int>(boost::source(e, g));
    }
    void back_edge(CascadeGraph::edge_descriptor e, const CascadeGraph& g) const {
        if (!cycle->empty()) return;
        int from = static_cast<int>(boost::source(e, g)), to = static_cast<int>(boost::target(e, g));
        std::vector<int> path{from};
        for (int v = from; v != to && v >= 0; v = (*parent)[v]) path.push_back((*parent)[v]);
        std::reverse(path.begin(), path.end());
        path.push_back(to);
        *cycle = path;
    }
};
} // namespace

std::vector<int> find_cycle(const CascadeGraph& g) {
    std::vector<int> cycle, parent(boost::num_vertices(g), -1);
    CycleFinder vis;
    vis.cycle = &cycle;
    vis.parent = &parent;
    boost::depth_first_search(g, boost::visitor(vis));
    return cycle;
}

std::vector<int> topological_order(const CascadeGraph& g) {
    std::vector<CascadeGraph::vertex_descriptor> rev;
    boost::topological_sort(g, std::back_inserter(rev));
    return std::vector<int>(rev.rbegin(), rev.rend());
}

} // namespace einsum
