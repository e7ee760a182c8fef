#include "referentiel/graph.hpp"

namespace certigraph::detail {

VertexLayout::VertexLayout(const Content& content) {
    for (std::size_t kind = 0; kind < 6; ++kind)
        offsets_[kind + 1] = offsets_[kind] + content.count(static_cast<NodeKind>(kind));
}

Graph build_graph(const Content& content, const CodeIndex& codes) {
    const VertexLayout layout(content);
    Graph graph(layout.size());
    for (Vertex v = 0; v < layout.size(); ++v) {
        // Recover each vertex's node from the layout (kinds are contiguous).
        for (std::size_t kind = 6; kind-- > 0;) {
            const NodeRef first{static_cast<NodeKind>(kind), 0};
            if (v >= layout.vertex(first)) {
                graph[v].node = {first.kind, static_cast<Index>(v - layout.vertex(first))};
                break;
            }
        }
    }
    auto link = [&](NodeRef from, NodeRef to, EdgeKind kind) {
        boost::add_edge(layout.vertex(from), layout.vertex(to), EdgeProperties{kind}, graph);
    };
    auto resolve = [&](const std::string& code, NodeKind kind) {
        return code.empty() ? nullptr : codes.find(code, kind);
    };

    const NodeRef certification{NodeKind::certification, 0};
    for (Index i = 0; i < content.blocs.size(); ++i)
        link(certification, {NodeKind::bloc, i}, EdgeKind::contains);
    for (Index i = 0; i < content.activities.size(); ++i) {
        const Activity& a = content.activities[i];
        const NodeRef self{NodeKind::activity, i};
        if (auto* parent = resolve(a.parent, NodeKind::activity))
            link(*parent, self, EdgeKind::contains);
        else if (auto* bloc = resolve(a.bloc, NodeKind::bloc))
            link(*bloc, self, EdgeKind::contains);
        for (const auto& code : a.competencies)
            if (auto* c = resolve(code, NodeKind::competency)) link(self, *c, EdgeKind::calls_for);
    }
    for (Index i = 0; i < content.competencies.size(); ++i)
        if (auto* bloc = resolve(content.competencies[i].bloc, NodeKind::bloc))
            link(*bloc, {NodeKind::competency, i}, EdgeKind::contains);
    for (Index i = 0; i < content.criteria.size(); ++i)
        if (auto* c = resolve(content.criteria[i].competency, NodeKind::competency))
            link(*c, {NodeKind::criterion, i}, EdgeKind::contains);
    for (Index i = 0; i < content.epreuves.size(); ++i)
        for (const auto& code : content.epreuves[i].evaluates) {
            const NodeRef* target = resolve(code, NodeKind::competency);
            if (!target) target = resolve(code, NodeKind::criterion);
            if (target) link({NodeKind::epreuve, i}, *target, EdgeKind::evaluates);
        }
    return graph;
}

}  // namespace certigraph::detail
