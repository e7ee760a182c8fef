// Incremental construction of a référentiel; checked and frozen by build().
#pragma once

#include <certigraph/referentiel/diagnostic.hpp>
#include <certigraph/referentiel/nodes.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <memory>
#include <vector>

namespace certigraph {

class ReferentielBuilder;
namespace detail {
struct Content;
/// Private: what a builder holds (for writers of unchecked content).
const Content& content_of(const ReferentielBuilder& builder) noexcept;
}  // namespace detail

/// Collects the nodes of a référentiel in any order; references between them
/// are codes, resolved by check() and build().
///
/// Example:
/// @code
///   ReferentielBuilder b;
///   b.certification({.code = "RNCP1", .title = "T"});
///   b.add(Bloc{.code = "RNCP1BC01", .title = "Bloc 1"});
///   b.add(Competency{.code = "A1C1", .title = "...", .bloc = "RNCP1BC01"});
///   b.add(Criterion{.code = "A1E1", .title = "...", .competency = "A1C1"});
///   Referentiel ref = b.build();
/// @endcode
class ReferentielBuilder {
  public:
    ReferentielBuilder();
    ~ReferentielBuilder();
    ReferentielBuilder(const ReferentielBuilder&);
    ReferentielBuilder& operator=(const ReferentielBuilder&);
    ReferentielBuilder(ReferentielBuilder&&) noexcept;
    ReferentielBuilder& operator=(ReferentielBuilder&&) noexcept;

    /// Sets the certification (replaces a previous one).
    ReferentielBuilder& certification(Certification certification);
    ReferentielBuilder& add(Bloc bloc);
    ReferentielBuilder& add(Activity activity);
    ReferentielBuilder& add(Competency competency);
    ReferentielBuilder& add(Criterion criterion);
    ReferentielBuilder& add(Epreuve epreuve);
    ReferentielBuilder& add(Correspondence correspondence);

    /// Number of nodes of a kind added so far (1 for the certification).
    std::size_t count(NodeKind kind) const noexcept;

    /// Runs the integrity check on what was added so far; never throws on bad content.
    std::vector<Diagnostic> check() const;

    /// Checks and freezes the référentiel; warnings are kept in Referentiel::diagnostics().
    /// @throws InvalidReferentiel if the check reports any error.
    Referentiel build() const;

  private:
    friend const detail::Content& detail::content_of(const ReferentielBuilder&) noexcept;
    std::unique_ptr<detail::Content> content_;
};

}  // namespace certigraph
