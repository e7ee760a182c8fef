#include <certigraph/error.hpp>
#include <certigraph/referentiel/builder.hpp>

#include "referentiel/content.hpp"
#include "referentiel/referentiel_impl.hpp"

namespace certigraph {

ReferentielBuilder::ReferentielBuilder() : content_(std::make_unique<detail::Content>()) {}
ReferentielBuilder::~ReferentielBuilder() = default;
ReferentielBuilder::ReferentielBuilder(const ReferentielBuilder& other)
    : content_(std::make_unique<detail::Content>(*other.content_)) {}
ReferentielBuilder& ReferentielBuilder::operator=(const ReferentielBuilder& other) {
    if (this != &other) content_ = std::make_unique<detail::Content>(*other.content_);
    return *this;
}
ReferentielBuilder::ReferentielBuilder(ReferentielBuilder&&) noexcept = default;
ReferentielBuilder& ReferentielBuilder::operator=(ReferentielBuilder&&) noexcept = default;

ReferentielBuilder& ReferentielBuilder::certification(Certification certification) {
    content_->certification = std::move(certification);
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Bloc bloc) {
    content_->blocs.push_back(std::move(bloc));
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Activity activity) {
    content_->activities.push_back(std::move(activity));
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Competency competency) {
    content_->competencies.push_back(std::move(competency));
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Criterion criterion) {
    content_->criteria.push_back(std::move(criterion));
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Epreuve epreuve) {
    content_->epreuves.push_back(std::move(epreuve));
    return *this;
}
ReferentielBuilder& ReferentielBuilder::add(Correspondence correspondence) {
    content_->correspondences.push_back(std::move(correspondence));
    return *this;
}

std::size_t ReferentielBuilder::count(NodeKind kind) const noexcept {
    return content_->count(kind);
}

std::vector<Diagnostic> ReferentielBuilder::check() const { return detail::check(*content_); }

Referentiel ReferentielBuilder::build() const {
    std::vector<Diagnostic> diagnostics = check();
    for (const auto& d : diagnostics)
        if (d.severity == Severity::error) throw InvalidReferentiel(std::move(diagnostics));
    return Referentiel(
        std::make_shared<const detail::ReferentielImpl>(*content_, std::move(diagnostics)));
}

}  // namespace certigraph

namespace certigraph::detail {

const Content& content_of(const ReferentielBuilder& b) noexcept { return *b.content_; }

Content content_of(const Referentiel& r) {
    auto copy = [](auto span) { return std::vector(span.begin(), span.end()); };
    return Content{r.certification(), copy(r.blocs()),    copy(r.activities()),
                   copy(r.competencies()), copy(r.criteria()), copy(r.epreuves()),
                   copy(r.correspondences())};
}

ReferentielBuilder builder_of(Content content) {
    ReferentielBuilder builder;
    builder.certification(std::move(content.certification));
    auto add_all = [&builder](auto& nodes) {
        for (auto& node : nodes) builder.add(std::move(node));
    };
    add_all(content.blocs);
    add_all(content.activities);
    add_all(content.competencies);
    add_all(content.criteria);
    add_all(content.epreuves);
    add_all(content.correspondences);
    return builder;
}

}  // namespace certigraph::detail
