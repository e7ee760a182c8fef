// Private: the frozen data behind a Referentiel, with every query precomputed.
#pragma once

#include "referentiel/content.hpp"
#include "referentiel/graph.hpp"

#include <span>
#include <vector>

namespace certigraph::detail {

/// Rows of indices stored contiguously (compressed sparse rows).
class Adjacency {
  public:
    explicit Adjacency(const std::vector<std::vector<Index>>& rows);
    Adjacency() = default;
    std::span<const Index> row(std::size_t i) const {
        return {items_.data() + offsets_.at(i), items_.data() + offsets_.at(i + 1)};
    }

  private:
    std::vector<std::size_t> offsets_{0};
    std::vector<Index> items_;
};

struct ReferentielImpl {
    ReferentielImpl(Content content, std::vector<Diagnostic> warnings);

    Content content;
    std::vector<Diagnostic> warnings;
    CodeIndex codes;
    Graph graph;
    Adjacency competencies_of_bloc;
    Adjacency criteria_of_competency;
    Adjacency criteria_of_bloc;
    Adjacency competencies_of_activity;
    Adjacency epreuves_of_competency;
    Adjacency epreuves_of_criterion;
    Adjacency criteria_of_epreuve;
    std::vector<Index> bloc_of_competency;
    std::vector<Index> competency_of_criterion;
};

}  // namespace certigraph::detail
