#include <certigraph/error.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include "referentiel/referentiel_impl.hpp"

#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <iterator>

namespace certigraph {

namespace detail {

Adjacency::Adjacency(const std::vector<std::vector<Index>>& rows) {
    offsets_.reserve(rows.size() + 1);
    for (const auto& row : rows) {
        items_.insert(items_.end(), row.begin(), row.end());
        offsets_.push_back(items_.size());
    }
}

namespace {

/// Sorted, without duplicates: the queries return indices in declaration order.
void normalize(std::vector<std::vector<Index>>& rows) {
    for (auto& row : rows) {
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
    }
}

}  // namespace

ReferentielImpl::ReferentielImpl(Content c, std::vector<Diagnostic> w)
    : content(std::move(c)), warnings(std::move(w)), codes(content), graph(build_graph(content, codes)) {
    const std::size_t n_blocs = content.blocs.size();
    const std::size_t n_competencies = content.competencies.size();
    const std::size_t n_criteria = content.criteria.size();
    std::vector<std::vector<Index>> bloc_competencies(n_blocs), competency_criteria(n_competencies),
        bloc_criteria(n_blocs), activity_competencies(content.activities.size()),
        competency_epreuves(n_competencies), criterion_epreuves(n_criteria),
        epreuve_criteria(content.epreuves.size());
    bloc_of_competency.resize(n_competencies);
    competency_of_criterion.resize(n_criteria);

    for (auto e : boost::make_iterator_range(boost::edges(graph))) {
        const NodeRef from = graph[boost::source(e, graph)].node;
        const NodeRef to = graph[boost::target(e, graph)].node;
        switch (graph[e].kind) {
            case EdgeKind::contains:
                if (from.kind == NodeKind::bloc && to.kind == NodeKind::competency) {
                    bloc_competencies[from.index].push_back(to.index);
                    bloc_of_competency[to.index] = from.index;
                } else if (from.kind == NodeKind::competency && to.kind == NodeKind::criterion) {
                    competency_criteria[from.index].push_back(to.index);
                    competency_of_criterion[to.index] = from.index;
                }
                break;
            case EdgeKind::calls_for:
                activity_competencies[from.index].push_back(to.index);
                break;
            case EdgeKind::evaluates:
                if (to.kind == NodeKind::competency) {
                    competency_epreuves[to.index].push_back(from.index);
                } else {
                    criterion_epreuves[to.index].push_back(from.index);
                }
                break;
        }
    }
    normalize(competency_criteria);
    // An épreuve naming a competency evaluates each of its criteria; one naming a
    // criterion covers that criterion's competency.
    for (Index k = 0; k < n_criteria; ++k) {
        const Index comp = competency_of_criterion[k];
        auto& eps = criterion_epreuves[k];
        eps.insert(eps.end(), competency_epreuves[comp].begin(), competency_epreuves[comp].end());
    }
    for (Index k = 0; k < n_criteria; ++k) {
        const Index comp = competency_of_criterion[k];
        for (Index ep : criterion_epreuves[k]) {
            competency_epreuves[comp].push_back(ep);
            epreuve_criteria[ep].push_back(k);
        }
        bloc_criteria[bloc_of_competency[comp]].push_back(k);
    }
    for (auto* rows : {&bloc_competencies, &bloc_criteria, &activity_competencies,
                       &competency_epreuves, &criterion_epreuves, &epreuve_criteria})
        normalize(*rows);

    competencies_of_bloc = Adjacency(bloc_competencies);
    criteria_of_competency = Adjacency(competency_criteria);
    criteria_of_bloc = Adjacency(bloc_criteria);
    competencies_of_activity = Adjacency(activity_competencies);
    epreuves_of_competency = Adjacency(competency_epreuves);
    epreuves_of_criterion = Adjacency(criterion_epreuves);
    criteria_of_epreuve = Adjacency(epreuve_criteria);
}

}  // namespace detail

namespace {

template <class Span>
void check_index(const Span& nodes, Index i, const char* what) {
    if (i >= nodes.size())
        throw NotFound(std::string(what) + " index " + std::to_string(i) + " is out of range (" +
                       std::to_string(nodes.size()) + " " + what + "s)");
}

}  // namespace

Referentiel::Referentiel(std::shared_ptr<const detail::ReferentielImpl> impl)
    : impl_(std::move(impl)) {}

const Certification& Referentiel::certification() const noexcept {
    return impl_->content.certification;
}
std::span<const Bloc> Referentiel::blocs() const noexcept { return impl_->content.blocs; }
std::span<const Activity> Referentiel::activities() const noexcept {
    return impl_->content.activities;
}
std::span<const Competency> Referentiel::competencies() const noexcept {
    return impl_->content.competencies;
}
std::span<const Criterion> Referentiel::criteria() const noexcept {
    return impl_->content.criteria;
}
std::span<const Epreuve> Referentiel::epreuves() const noexcept {
    return impl_->content.epreuves;
}
std::span<const Correspondence> Referentiel::correspondences() const noexcept {
    return impl_->content.correspondences;
}
std::size_t Referentiel::count(NodeKind kind) const noexcept { return impl_->content.count(kind); }

std::optional<NodeRef> Referentiel::find(std::string_view code) const noexcept {
    if (const NodeRef* node = impl_->codes.find(code)) return *node;
    return std::nullopt;
}

NodeRef Referentiel::at(std::string_view code) const {
    if (const NodeRef* node = impl_->codes.find(code)) return *node;
    throw NotFound("unknown code '" + std::string(code) + "' in référentiel " +
                   impl_->content.certification.code);
}

Index Referentiel::index_of(NodeKind kind, std::string_view code) const {
    if (const NodeRef* node = impl_->codes.find(code, kind)) return node->index;
    throw NotFound("no " + std::string(to_string(kind)) + " with code '" + std::string(code) +
                   "' in référentiel " + impl_->content.certification.code);
}

std::string_view Referentiel::code(NodeRef node) const {
    const auto& c = impl_->content;
    switch (node.kind) {
        case NodeKind::certification: return c.certification.code;
        case NodeKind::bloc: check_index(c.blocs, node.index, "bloc"); return c.blocs[node.index].code;
        case NodeKind::activity:
            check_index(c.activities, node.index, "activity");
            return c.activities[node.index].code;
        case NodeKind::competency:
            check_index(c.competencies, node.index, "competency");
            return c.competencies[node.index].code;
        case NodeKind::criterion:
            check_index(c.criteria, node.index, "criterion");
            return c.criteria[node.index].code;
        case NodeKind::epreuve:
            check_index(c.epreuves, node.index, "epreuve");
            return c.epreuves[node.index].code;
    }
    return {};
}

std::string_view Referentiel::title(NodeRef node) const {
    const auto& c = impl_->content;
    const std::string_view node_code = code(node);  // validates the index
    (void)node_code;
    switch (node.kind) {
        case NodeKind::certification: return c.certification.title;
        case NodeKind::bloc: return c.blocs[node.index].title;
        case NodeKind::activity: return c.activities[node.index].title;
        case NodeKind::competency: return c.competencies[node.index].title;
        case NodeKind::criterion: return c.criteria[node.index].title;
        case NodeKind::epreuve: return c.epreuves[node.index].title;
    }
    return {};
}

std::span<const Index> Referentiel::competencies_of_bloc(Index bloc) const {
    check_index(blocs(), bloc, "bloc");
    return impl_->competencies_of_bloc.row(bloc);
}
std::span<const Index> Referentiel::criteria_of_competency(Index competency) const {
    check_index(competencies(), competency, "competency");
    return impl_->criteria_of_competency.row(competency);
}
std::span<const Index> Referentiel::criteria_of_bloc(Index bloc) const {
    check_index(blocs(), bloc, "bloc");
    return impl_->criteria_of_bloc.row(bloc);
}
Index Referentiel::bloc_of_competency(Index competency) const {
    check_index(competencies(), competency, "competency");
    return impl_->bloc_of_competency[competency];
}
Index Referentiel::competency_of_criterion(Index criterion) const {
    check_index(criteria(), criterion, "criterion");
    return impl_->competency_of_criterion[criterion];
}
Index Referentiel::bloc_of_criterion(Index criterion) const {
    return bloc_of_competency(competency_of_criterion(criterion));
}
std::span<const Index> Referentiel::competencies_of_activity(Index activity) const {
    check_index(activities(), activity, "activity");
    return impl_->competencies_of_activity.row(activity);
}
std::span<const Index> Referentiel::epreuves_covering_competency(Index competency) const {
    check_index(competencies(), competency, "competency");
    return impl_->epreuves_of_competency.row(competency);
}
std::span<const Index> Referentiel::epreuves_covering_criterion(Index criterion) const {
    check_index(criteria(), criterion, "criterion");
    return impl_->epreuves_of_criterion.row(criterion);
}
std::span<const Index> Referentiel::criteria_of_epreuve(Index epreuve) const {
    check_index(epreuves(), epreuve, "epreuve");
    return impl_->criteria_of_epreuve.row(epreuve);
}

std::vector<Index> Referentiel::unevaluated_competencies() const {
    std::vector<Index> out;
    for (Index i = 0; i < competencies().size(); ++i)
        if (impl_->epreuves_of_competency.row(i).empty()) out.push_back(i);
    return out;
}

std::vector<NodeRef> Referentiel::topological_order() const {
    // Containment and calls_for edges point from container to content; evaluation
    // edges are turned around so that an épreuve follows what it evaluates.
    const detail::Graph& g = impl_->graph;
    detail::Graph order(boost::num_vertices(g));
    for (auto e : boost::make_iterator_range(boost::edges(g))) {
        auto from = boost::source(e, g), to = boost::target(e, g);
        if (g[e].kind == detail::EdgeKind::evaluates) std::swap(from, to);
        boost::add_edge(from, to, order);
    }
    // An épreuve naming a competency evaluates its criteria too.
    const detail::VertexLayout vertices(impl_->content);
    for (Index e = 0; e < epreuves().size(); ++e)
        for (Index k : impl_->criteria_of_epreuve.row(e))
            boost::add_edge(vertices.vertex({NodeKind::criterion, k}),
                            vertices.vertex({NodeKind::epreuve, e}), order);
    std::vector<detail::Vertex> reversed;
    boost::topological_sort(order, std::back_inserter(reversed));
    std::vector<NodeRef> out;
    out.reserve(reversed.size());
    for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) out.push_back(g[*it].node);
    return out;
}

const std::vector<Diagnostic>& Referentiel::diagnostics() const noexcept {
    return impl_->warnings;
}

bool operator==(const Referentiel& a, const Referentiel& b) {
    return a.impl_ == b.impl_ || a.impl_->content == b.impl_->content;
}

}  // namespace certigraph
