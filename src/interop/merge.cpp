// Merging an RNCP fiche (blocs, dates, routes, links, correspondences) with a
// curated référentiel (activities, competencies, criteria, épreuves).
#include <certigraph/interop/merge.hpp>
#include <certigraph/referentiel/builder.hpp>

#include "referentiel/content.hpp"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

namespace certigraph::interop {

namespace {

struct Name {
    MergeCode code;
    std::string_view name;
    Severity severity;
};
constexpr Name names[] = {
    {MergeCode::certification_code_differs, "certification_code_differs", Severity::error},
    {MergeCode::bloc_only_in_fiche, "bloc_only_in_fiche", Severity::error},
    {MergeCode::bloc_only_in_curated, "bloc_only_in_curated", Severity::error},
    {MergeCode::certification_title_differs, "certification_title_differs", Severity::warning},
    {MergeCode::level_differs, "level_differs", Severity::warning},
    {MergeCode::dates_differ, "dates_differ", Severity::warning},
    {MergeCode::access_routes_differ, "access_routes_differ", Severity::warning},
    {MergeCode::certifiers_differ, "certifiers_differ", Severity::warning},
    {MergeCode::links_differ, "links_differ", Severity::warning},
    {MergeCode::correspondences_differ, "correspondences_differ", Severity::warning},
    {MergeCode::bloc_title_differs, "bloc_title_differs", Severity::warning},
    {MergeCode::bloc_status_differs, "bloc_status_differs", Severity::warning},
    {MergeCode::bloc_order_differs, "bloc_order_differs", Severity::warning},
    {MergeCode::fiche_content_ignored, "fiche_content_ignored", Severity::warning},
};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string date_text(const std::optional<Date>& d) { return d ? d->to_string() : std::string("none"); }

std::string list_text(const std::vector<std::string>& v) {
    if (v.empty()) return "none";
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string status_text(const Bloc& b) {
    std::string s = b.optional ? "optional" : "required";
    if (!b.option_group.empty()) s += ", option group " + quoted(b.option_group);
    return s;
}

}  // namespace

std::string_view to_string(MergeCode code) noexcept {
    for (const auto& n : names)
        if (n.code == code) return n.name;
    return "unknown";
}

Severity severity_of(MergeCode code) noexcept {
    for (const auto& n : names)
        if (n.code == code) return n.severity;
    return Severity::error;
}

std::ostream& operator<<(std::ostream& os, const MergeDiagnostic& d) {
    return os << to_string(d.severity) << ' ' << to_string(d.code) << ' ' << to_string(d.node_kind) << ' ' << d.node
              << ": " << d.message;
}

namespace {

MergeResult merge_content(const detail::Content& fiche, const Referentiel& curated) {
    MergeResult result;
    auto report = [&](MergeCode code, NodeKind kind, std::string node, std::string message) {
        result.diagnostics.push_back({code, severity_of(code), kind, std::move(node), std::move(message)});
    };
    const Certification& f = fiche.certification;
    const Certification& c = curated.certification();
    const NodeKind cert_kind = NodeKind::certification;

    if (f.code != c.code)
        report(MergeCode::certification_code_differs, cert_kind, f.code,
               "the fiche is " + f.code + " and the curated référentiel " + quoted(c.code) +
                   "; merge files of the same fiche (or fix the curated file's certification code)");
    if (f.title != c.title)
        report(MergeCode::certification_title_differs, cert_kind, f.code,
               "fiche " + quoted(f.title) + ", curated " + quoted(c.title) + "; the fiche's is kept");
    if (f.level != c.level)
        report(MergeCode::level_differs, cert_kind, f.code,
               "fiche " + std::to_string(f.level) + ", curated " + std::to_string(c.level) + "; the fiche's is kept");
    {
        const auto& a = f.dates;
        const auto& b = c.dates;
        std::string what;
        auto compare = [&](std::string_view name, const std::optional<Date>& x, const std::optional<Date>& y) {
            if (x != y)
                what += (what.empty() ? "" : "; ") + std::string(name) + ": fiche " + date_text(x) + ", curated " +
                        date_text(y);
        };
        compare("publication", a.publication, b.publication);
        compare("start of paths", a.start_of_paths, b.start_of_paths);
        compare("end of registration", a.end_of_registration, b.end_of_registration);
        compare("last delivery", a.last_delivery, b.last_delivery);
        if (!what.empty()) report(MergeCode::dates_differ, cert_kind, f.code, what + "; the fiche's are kept");
    }
    if (f.access_routes != c.access_routes) {
        auto routes = [](const std::vector<AccessRoute>& v) {
            std::vector<std::string> s;
            for (auto r : v) s.emplace_back(to_string(r));
            return list_text(s);
        };
        report(MergeCode::access_routes_differ, cert_kind, f.code,
               "fiche " + routes(f.access_routes) + "; curated " + routes(c.access_routes) + "; the fiche's are kept");
    }
    if (f.certifiers != c.certifiers) {
        auto names_of = [](const std::vector<Certifier>& v) {
            std::vector<std::string> s;
            for (const auto& x : v) s.push_back(x.name + (x.siret.empty() ? "" : " (" + x.siret + ")"));
            return list_text(s);
        };
        report(MergeCode::certifiers_differ, cert_kind, f.code,
               "fiche " + names_of(f.certifiers) + "; curated " + names_of(c.certifiers) + "; the fiche's are kept");
    }
    if (f.previous != c.previous || f.next != c.next)
        report(MergeCode::links_differ, cert_kind, f.code,
               "previous: fiche " + list_text(f.previous) + ", curated " + list_text(c.previous) + "; next: fiche " +
                   list_text(f.next) + ", curated " + list_text(c.next) + "; the fiche's are kept");
    if (!std::equal(fiche.correspondences.begin(), fiche.correspondences.end(), curated.correspondences().begin(),
                    curated.correspondences().end()))
        report(MergeCode::correspondences_differ, cert_kind, f.code,
               "correspondences: the fiche has " + std::to_string(fiche.correspondences.size()) +
                   ", the curated référentiel " + std::to_string(curated.correspondences().size()) +
                   " (or they differ); the fiche's are kept");
    auto same = [](auto a, auto b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); };
    if ((!fiche.competencies.empty() || !fiche.criteria.empty() || !fiche.epreuves.empty() ||
         !fiche.activities.empty()) &&
        !(same(fiche.competencies, curated.competencies()) && same(fiche.criteria, curated.criteria()) &&
          same(fiche.epreuves, curated.epreuves()) && same(fiche.activities, curated.activities())))
        report(MergeCode::fiche_content_ignored, cert_kind, f.code,
               "the fiche has " + std::to_string(fiche.activities.size()) + " activities, " +
                   std::to_string(fiche.competencies.size()) + " competencies, " +
                   std::to_string(fiche.criteria.size()) + " criteria, " + std::to_string(fiche.epreuves.size()) +
                   " épreuves; the curated référentiel's are used");

    // Blocs, in the fiche's order.
    std::set<std::string> in_fiche, in_curated;
    for (const auto& b : fiche.blocs) in_fiche.insert(b.code);
    for (const auto& b : curated.blocs()) in_curated.insert(b.code);
    std::vector<std::string> common_fiche_order, common_curated_order;
    for (const auto& b : fiche.blocs) {
        if (!in_curated.count(b.code)) {
            report(MergeCode::bloc_only_in_fiche, NodeKind::bloc, b.code,
                   "bloc " + quoted(b.title) +
                       " of the fiche is not in the curated référentiel, so nothing would grade it; add it there "
                       "with its competencies");
            continue;
        }
        common_fiche_order.push_back(b.code);
        const Bloc& other = curated.blocs()[curated.index_of(NodeKind::bloc, b.code)];
        if (other.title != b.title)
            report(MergeCode::bloc_title_differs, NodeKind::bloc, b.code,
                   "fiche " + quoted(b.title) + ", curated " + quoted(other.title) + "; the fiche's is kept");
        if (other.optional != b.optional || other.option_group != b.option_group)
            report(MergeCode::bloc_status_differs, NodeKind::bloc, b.code,
                   "fiche " + status_text(b) + ", curated " + status_text(other) + "; the fiche's is kept");
    }
    for (const auto& b : curated.blocs()) {
        if (in_fiche.count(b.code)) {
            common_curated_order.push_back(b.code);
            continue;
        }
        report(MergeCode::bloc_only_in_curated, NodeKind::bloc, b.code,
               "bloc " + quoted(b.title) + " of the curated référentiel is not on fiche " + f.code +
                   "; fix its code to one of the fiche's blocs (" +
                   list_text(std::vector<std::string>(in_fiche.begin(), in_fiche.end())) + ") or remove it");
    }
    if (common_fiche_order != common_curated_order)
        report(MergeCode::bloc_order_differs, cert_kind, f.code,
               "fiche " + list_text(common_fiche_order) + "; curated " + list_text(common_curated_order) +
                   "; the fiche's order is kept");

    if (std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                    [](const MergeDiagnostic& d) { return d.severity == Severity::error; }))
        return result;

    ReferentielBuilder builder;
    Certification merged = f;
    merged.requirements = c.requirements.empty() ? f.requirements : c.requirements;
    builder.certification(merged);
    for (const auto& b : fiche.blocs) {
        Bloc bloc = b;
        if (bloc.description.empty()) bloc.description = curated.blocs()[curated.index_of(NodeKind::bloc, b.code)].description;
        builder.add(std::move(bloc));
    }
    for (const auto& a : curated.activities()) builder.add(a);
    for (const auto& x : curated.competencies()) builder.add(x);
    for (const auto& x : curated.criteria()) builder.add(x);
    for (const auto& x : curated.epreuves()) builder.add(x);
    for (const auto& x : fiche.correspondences) builder.add(x);
    result.referentiel = builder.build();
    return result;
}

}  // namespace

MergeResult merge(const Referentiel& fiche, const Referentiel& curated) {
    return merge_content(detail::content_of(fiche), curated);
}

MergeResult merge(const ReferentielBuilder& fiche, const Referentiel& curated) {
    return merge_content(detail::content_of(fiche), curated);
}

}  // namespace certigraph::interop
