// Private: the Boost.Graph view of a référentiel. Vertices are laid out kind by
// kind (certification, blocs, activities, competencies, criteria, épreuves), so a
// vertex id is offset(kind) + dense index.
#pragma once

#include "referentiel/content.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <array>
#include <cstdint>

namespace certigraph::detail {

enum class EdgeKind : std::uint8_t {
    contains,   ///< certification -> bloc -> competency -> criterion; bloc/activity -> activity
    calls_for,  ///< activity -> competency
    evaluates,  ///< épreuve -> competency or criterion
};

struct VertexProperties {
    NodeRef node{NodeKind::certification, 0};
};
struct EdgeProperties {
    EdgeKind kind = EdgeKind::contains;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                    VertexProperties, EdgeProperties>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

class VertexLayout {
  public:
    explicit VertexLayout(const Content& content);
    Vertex vertex(NodeRef node) const noexcept {
        return offsets_[static_cast<std::size_t>(node.kind)] + node.index;
    }
    std::size_t size() const noexcept { return offsets_.back(); }

  private:
    std::array<std::size_t, 7> offsets_{};
};

/// The graph of every reference that resolves to a node of the right kind;
/// unresolved references are left out (check() reports them).
Graph build_graph(const Content& content, const CodeIndex& codes);

}  // namespace certigraph::detail
