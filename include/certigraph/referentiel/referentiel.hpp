// A checked, immutable référentiel with dense indices and graph queries.
#pragma once

#include <certigraph/referentiel/diagnostic.hpp>
#include <certigraph/referentiel/nodes.hpp>

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace certigraph {

/// Dense index of a node among the nodes of its kind, in declaration order:
/// blocs()[i], competencies()[i], criteria()[i], ...
using Index = std::uint32_t;

/// A node of the graph: its kind and its dense index.
struct NodeRef {
    NodeKind kind;
    Index index;
    friend bool operator==(const NodeRef&, const NodeRef&) = default;
    friend auto operator<=>(const NodeRef&, const NodeRef&) = default;
};

namespace detail {
struct ReferentielImpl;
}

/// A certification version with its blocs, competencies, criteria and épreuves,
/// checked (no errors) and immutable. Copies are cheap and share the same data;
/// every member is safe to call from several threads at once.
///
/// Obtain one from ReferentielBuilder::build(), io::load_referentiel() or
/// io::referentiel_from_json().
class Referentiel {
  public:
    const Certification& certification() const noexcept;
    std::span<const Bloc> blocs() const noexcept;
    std::span<const Activity> activities() const noexcept;
    std::span<const Competency> competencies() const noexcept;
    std::span<const Criterion> criteria() const noexcept;
    std::span<const Epreuve> epreuves() const noexcept;
    std::span<const Correspondence> correspondences() const noexcept;

    /// Number of nodes of a kind (1 for the certification).
    std::size_t count(NodeKind kind) const noexcept;

    /// The node with this code, if any (codes are unique across kinds).
    std::optional<NodeRef> find(std::string_view code) const noexcept;
    /// @throws NotFound if no node has this code.
    NodeRef at(std::string_view code) const;
    /// @throws NotFound if no node of this kind has this code.
    Index index_of(NodeKind kind, std::string_view code) const;

    std::string_view code(NodeRef node) const;
    std::string_view title(NodeRef node) const;

    /// Competencies of a bloc, in declaration order.
    std::span<const Index> competencies_of_bloc(Index bloc) const;
    /// Criteria of a competency, in declaration order.
    std::span<const Index> criteria_of_competency(Index competency) const;
    /// Criteria of a bloc (through its competencies), in declaration order.
    std::span<const Index> criteria_of_bloc(Index bloc) const;
    Index bloc_of_competency(Index competency) const;
    Index competency_of_criterion(Index criterion) const;
    Index bloc_of_criterion(Index criterion) const;
    /// Competencies an activity calls for.
    std::span<const Index> competencies_of_activity(Index activity) const;

    /// Épreuves that evaluate the competency itself or one of its criteria.
    std::span<const Index> epreuves_covering_competency(Index competency) const;
    /// Épreuves that evaluate the criterion or its competency.
    std::span<const Index> epreuves_covering_criterion(Index criterion) const;
    /// Criteria an épreuve evaluates (named directly or through their competency).
    std::span<const Index> criteria_of_epreuve(Index epreuve) const;
    /// Competencies that no épreuve evaluates, in declaration order.
    std::vector<Index> unevaluated_competencies() const;

    /// Every node, containers before what they contain (certification, blocs,
    /// activities, competencies, criteria; épreuves after what they evaluate).
    std::vector<NodeRef> topological_order() const;

    /// The warnings the integrity check reported when this référentiel was built.
    const std::vector<Diagnostic>& diagnostics() const noexcept;

    /// Same content (the graph and indices are derived from it).
    friend bool operator==(const Referentiel& a, const Referentiel& b);

  private:
    friend class ReferentielBuilder;
    explicit Referentiel(std::shared_ptr<const detail::ReferentielImpl> impl);
    std::shared_ptr<const detail::ReferentielImpl> impl_;
};

}  // namespace certigraph
