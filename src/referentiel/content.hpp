// Private: the raw content of a référentiel, as declared (codes, not indices).
#pragma once

#include <certigraph/referentiel/builder.hpp>
#include <certigraph/referentiel/diagnostic.hpp>
#include <certigraph/referentiel/nodes.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace certigraph::detail {

struct Content {
    Certification certification;
    std::vector<Bloc> blocs;
    std::vector<Activity> activities;
    std::vector<Competency> competencies;
    std::vector<Criterion> criteria;
    std::vector<Epreuve> epreuves;
    std::vector<Correspondence> correspondences;
    friend bool operator==(const Content&, const Content&) = default;

    std::size_t count(NodeKind kind) const noexcept;
};

/// Code -> node, over every kind; the first declaration of a duplicated code wins.
class CodeIndex {
  public:
    explicit CodeIndex(const Content& content);
    const NodeRef* find(std::string_view code) const noexcept;
    /// The node if it has this kind, else nullptr.
    const NodeRef* find(std::string_view code, NodeKind kind) const noexcept;

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, NodeRef, Hash, std::equal_to<>> map_;
};

/// Every diagnostic of the integrity check, in a stable order.
std::vector<Diagnostic> check(const Content& content);

}  // namespace certigraph::detail

namespace certigraph::detail {

/// A copy of a référentiel's content, as a builder would hold it.
Content content_of(const Referentiel& referentiel);

/// A builder holding exactly this content.
ReferentielBuilder builder_of(Content content);

}  // namespace certigraph::detail
