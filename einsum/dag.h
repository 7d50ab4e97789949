// The producer/consumer graph of a cascade: one vertex per Einsum, an edge from the Einsum that
// writes a tensor to every Einsum that reads it (Boost.Graph).
#pragma once
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "einsum/cascade.h"

namespace einsum {

struct DagEdge {
    std::string tensor;
};
using CascadeGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, DagEdge>;

// Builds the graph from the Einsums' reads (self-reads of iterative Einsums are not edges).
// Reads of unknown tensors are ignored here; validate() reports them.
CascadeGraph build_graph(const Cascade& c);

// A cycle as the list of Einsum indices on it (first == last), or empty when the graph is a DAG.
std::vector<int> find_cycle(const CascadeGraph& g);

// Einsum indices in an order where every producer precedes its consumers; requires a DAG.
std::vector<int> topological_order(const CascadeGraph& g);

} // namespace einsum
