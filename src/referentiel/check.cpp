// The integrity check: every finding about a référentiel's content, as
// diagnostics with a stable code. It never throws on bad content; build()
// refuses content with errors.
#include "referentiel/content.hpp"
#include "referentiel/graph.hpp"

#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace certigraph::detail {

std::size_t Content::count(NodeKind kind) const noexcept {
    switch (kind) {
        case NodeKind::certification: return 1;
        case NodeKind::bloc: return blocs.size();
        case NodeKind::activity: return activities.size();
        case NodeKind::competency: return competencies.size();
        case NodeKind::criterion: return criteria.size();
        case NodeKind::epreuve: return epreuves.size();
    }
    return 0;
}

CodeIndex::CodeIndex(const Content& content) {
    map_.emplace(content.certification.code, NodeRef{NodeKind::certification, 0});
    auto add_all = [this](const auto& nodes, NodeKind kind) {
        for (Index i = 0; i < nodes.size(); ++i) map_.emplace(nodes[i].code, NodeRef{kind, i});
    };
    add_all(content.blocs, NodeKind::bloc);
    add_all(content.activities, NodeKind::activity);
    add_all(content.competencies, NodeKind::competency);
    add_all(content.criteria, NodeKind::criterion);
    add_all(content.epreuves, NodeKind::epreuve);
}

const NodeRef* CodeIndex::find(std::string_view code) const noexcept {
    auto it = map_.find(code);
    return it == map_.end() ? nullptr : &it->second;
}

const NodeRef* CodeIndex::find(std::string_view code, NodeKind kind) const noexcept {
    const NodeRef* node = find(code);
    return node && node->kind == kind ? node : nullptr;
}

namespace {

bool same_letters(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}
bool is_cefr_framework(std::string_view framework) {
    return same_letters(framework, "CEFR") || same_letters(framework, "CECRL");
}
bool is_cefr_level(std::string_view level) {
    for (const char* l : {"A1", "A2", "B1", "B2", "C1", "C2"})
        if (same_letters(level, l)) return true;
    return false;
}


bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

/// The "family" a code declares by convention, if it follows one:
/// "A2C3" and "A2E3" -> "2" (the part after a letter prefix, up to the next letter),
/// "A2.4" -> "2", "RNCP40514BC02" -> "2" (bloc number), else nullopt.
std::optional<unsigned long> family_of(std::string_view code, NodeKind kind) {
    auto digits_at = [&](std::size_t pos) -> std::optional<unsigned long> {
        std::size_t end = pos;
        while (end < code.size() && std::isdigit(static_cast<unsigned char>(code[end]))) ++end;
        if (end == pos || end - pos > 9) return std::nullopt;
        return std::stoul(std::string(code.substr(pos, end - pos)));
    };
    if (kind == NodeKind::bloc) {
        const auto bc = code.rfind("BC");
        if (bc == std::string_view::npos) return std::nullopt;
        for (std::size_t i = bc + 2; i < code.size(); ++i)
            if (!std::isdigit(static_cast<unsigned char>(code[i]))) return std::nullopt;
        return digits_at(bc + 2);
    }
    // Letter prefix, digits, then a separator letter or '.', then more.
    std::size_t pos = 0;
    while (pos < code.size() && std::isalpha(static_cast<unsigned char>(code[pos]))) ++pos;
    if (pos == 0) return std::nullopt;
    std::size_t end = pos;
    while (end < code.size() && std::isdigit(static_cast<unsigned char>(code[end]))) ++end;
    if (end == pos || end == code.size()) return std::nullopt;
    if (!std::isalpha(static_cast<unsigned char>(code[end])) && code[end] != '.')
        return std::nullopt;
    return digits_at(pos);
}

/// Family of a top-level activity such as "A1" (no separator after the digits).
std::optional<unsigned long> family_of_area(std::string_view code) {
    std::size_t pos = 0;
    while (pos < code.size() && std::isalpha(static_cast<unsigned char>(code[pos]))) ++pos;
    if (pos == 0 || pos == code.size() || code.size() - pos > 9) return std::nullopt;
    for (std::size_t i = pos; i < code.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(code[i]))) return std::nullopt;
    return std::stoul(std::string(code.substr(pos)));
}

std::optional<unsigned long> any_family(std::string_view code, NodeKind kind) {
    auto f = family_of(code, kind);
    return f ? f : (kind == NodeKind::activity ? family_of_area(code) : std::nullopt);
}

// The JSON array holding each kind of node, indexed by NodeKind.
constexpr std::array json_arrays{"certification", "blocs",    "activities",
                                 "competencies",  "criteria", "epreuves"};

/// "a bloc", "an activity", "an épreuve".
std::string with_article(NodeKind kind) {
    const std::string_view name = to_string(kind);
    const bool vowel = name == "activity" || name == "epreuve";
    return std::string(vowel ? "an " : "a ") + (kind == NodeKind::epreuve ? "épreuve" : std::string(name));
}

// Keeps only the containment edges of the référentiel graph.
struct ContainmentOnly {
    const Graph* graph = nullptr;
    bool operator()(const boost::graph_traits<Graph>::edge_descriptor& e) const {
        return (*graph)[e].kind == EdgeKind::contains;
    }
};

// Records the DFS tree (to walk a cycle back) and every back edge (a cycle).
struct CycleRecorder : boost::default_dfs_visitor {
    std::vector<Vertex>* parent;
    std::vector<std::pair<Vertex, Vertex>>* back_edges;
    template <class Edge, class G>
    void tree_edge(Edge e, const G& g) {
        (*parent)[boost::target(e, g)] = boost::source(e, g);
    }
    template <class Edge, class G>
    void back_edge(Edge e, const G& g) {
        back_edges->emplace_back(boost::source(e, g), boost::target(e, g));
    }
};

class Checker {
  public:
    explicit Checker(const Content& content) : c_(content), codes_(content) {}

    std::vector<Diagnostic> run() {
        check_codes();
        check_titles();
        check_certification();
        check_references();
        check_cycles();
        check_structure();
        check_families();
        std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return a.severity > b.severity;  // errors first, otherwise declaration order
        });
        return std::move(out_);
    }

  private:
    // `field` is relative to the node, or an absolute JSON pointer when it starts with '/'.
    void report(DiagnosticCode code, NodeKind kind, std::size_t position, std::string node,
                const std::string& field, std::string message) {
        std::string pointer;
        if (field.empty() || field[0] != '/') {
            pointer = std::string("/") + json_arrays[static_cast<std::size_t>(kind)];
            if (kind != NodeKind::certification) pointer += "/" + std::to_string(position);
            if (!field.empty()) pointer += "/" + field;
        } else {
            pointer = field;
        }
        out_.push_back(Diagnostic{code, severity_of(code), kind, position, std::move(node),
                                  std::move(pointer), std::move(message)});
    }

    template <class F>
    void for_each_node(F&& f) const {
        f(NodeKind::certification, std::size_t{0}, c_.certification.code,
          c_.certification.title);
        auto all = [&](const auto& nodes, NodeKind kind) {
            for (std::size_t i = 0; i < nodes.size(); ++i)
                f(kind, i, nodes[i].code, nodes[i].title);
        };
        all(c_.blocs, NodeKind::bloc);
        all(c_.activities, NodeKind::activity);
        all(c_.competencies, NodeKind::competency);
        all(c_.criteria, NodeKind::criterion);
        all(c_.epreuves, NodeKind::epreuve);
    }

    void check_codes() {
        std::map<std::string, std::pair<NodeKind, std::size_t>, std::less<>> seen;
        for_each_node([&](NodeKind kind, std::size_t i, const std::string& code,
                          const std::string&) {
            if (blank(code)) {
                report(DiagnosticCode::empty_code, kind, i, code, "code",
                       std::string(to_string(kind)) + " has no code; give it a unique code");
                return;
            }
            auto [it, inserted] = seen.emplace(code, std::pair{kind, i});
            if (!inserted)
                report(DiagnosticCode::duplicate_code, kind, i, code, "code",
                       "code '" + code + "' is already used by " +
                           std::string(to_string(it->second.first)) + " #" +
                           std::to_string(it->second.second) +
                           "; codes must be unique across the référentiel, rename one of them");
        });
        std::set<std::string, std::less<>> requirements;
        const auto& reqs = c_.certification.requirements;
        for (std::size_t i = 0; i < reqs.size(); ++i)
            if (!requirements.insert(reqs[i].code).second)
                report(DiagnosticCode::duplicate_code, NodeKind::certification, 0,
                       c_.certification.code,
                       "requirements/" + std::to_string(i) + "/code",
                       "requirement code '" + reqs[i].code +
                           "' is used twice; rename one of them");
    }

    void check_titles() {
        for_each_node([&](NodeKind kind, std::size_t i, const std::string& code,
                          const std::string& title) {
            if (blank(title))
                report(DiagnosticCode::empty_title, kind, i, code, "title",
                       std::string(to_string(kind)) + " '" + code +
                           "' has no title; write its title or statement");
        });
    }

    void check_certification() {
        const Certification& cert = c_.certification;
        const auto& code = cert.code;
        if (cert.level != 0 && (cert.level < 1 || cert.level > 8))
            report(DiagnosticCode::invalid_level, NodeKind::certification, 0, code, "level",
                   "level " + std::to_string(cert.level) +
                       " is not a qualification level; use 1 to 8 (0 when unknown)");

        // Each date must not precede the ones listed before it.
        const std::pair<const char*, const std::optional<Date>*> order[] = {
            {"start_of_paths", &cert.dates.start_of_paths},
            {"end_of_registration", &cert.dates.end_of_registration},
            {"last_delivery", &cert.dates.last_delivery},
        };
        std::optional<std::pair<const char*, Date>> latest;
        if (cert.dates.publication) latest.emplace("publication", *cert.dates.publication);
        for (auto [name, date] : order) {
            if (!*date) continue;
            if (latest && **date < latest->second)
                report(DiagnosticCode::dates_out_of_order, NodeKind::certification, 0, code,
                       std::string("dates/") + name,
                       std::string(name) + " " + (*date)->to_string() + " is before " +
                           latest->first + " " + latest->second.to_string() +
                           "; check the fiche's dates");
            if (!latest || latest->second < **date) latest.emplace(name, **date);
        }

        for (std::size_t i = 0; i < cert.requirements.size(); ++i) {
            const Requirement& r = cert.requirements[i];
            const std::string field = "requirements/" + std::to_string(i);
            auto bad = [&](const std::string& what) {
                report(DiagnosticCode::invalid_requirement, NodeKind::certification, 0, code,
                       field, "requirement '" + r.code + "': " + what);
            };
            if (blank(r.code)) bad("has no code; give it a unique code");
            switch (r.kind) {
                case RequirementKind::language:
                    if (blank(r.language) || blank(r.level))
                        bad("a language requirement needs `language` and `level`");
                    else if (is_cefr_framework(r.framework) && !is_cefr_level(r.level))
                        bad("level '" + r.level + "' is not a CEFR level; use one of A1, A2, B1, B2, C1, C2");
                    break;
                case RequirementKind::mobility:
                    if (!(r.minimum_weeks > 0)) bad("`minimum_weeks` must be > 0");
                    break;
                case RequirementKind::experience:
                    if (!(r.minimum_months > 0)) bad("`minimum_months` must be > 0");
                    break;
            }
            if (r.applies_when && blank(r.applies_when->attribute))
                bad("`applies_when` needs an attribute");
        }
        for (std::size_t i = 0; i < cert.previous.size(); ++i)
            if (cert.previous[i] == code)
                report(DiagnosticCode::dangling_reference, NodeKind::certification, 0, code,
                       "previous/" + std::to_string(i),
                       "the certification lists itself as its previous fiche");
        for (std::size_t i = 0; i < cert.next.size(); ++i)
            if (cert.next[i] == code)
                report(DiagnosticCode::dangling_reference, NodeKind::certification, 0, code,
                       "next/" + std::to_string(i),
                       "the certification lists itself as its next fiche");
    }

    // A reference `ref` in field `field` of node (kind, i) must name a node of
    // kind `expected` (or `alternative`).
    bool resolves(NodeKind kind, std::size_t i, const std::string& node, const std::string& field,
                  const std::string& ref, NodeKind expected,
                  std::optional<NodeKind> alternative = std::nullopt) {
        if (codes_.find(ref, expected) || (alternative && codes_.find(ref, *alternative)))
            return true;
        std::string wanted(to_string(expected));
        if (alternative) wanted += " or " + std::string(to_string(*alternative));
        std::string message = std::string(to_string(kind)) + " '" + node + "' refers to " +
                              wanted + " '" + ref + "'";
        if (const NodeRef* other = codes_.find(ref))
            message += ", which is " + with_article(other->kind);
        else
            message += ", which does not exist";
        message += "; fix the code or declare that " + wanted;
        report(DiagnosticCode::dangling_reference, kind, i, node, field, std::move(message));
        return false;
    }

    void check_references() {
        for (std::size_t i = 0; i < c_.activities.size(); ++i) {
            const Activity& a = c_.activities[i];
            if (!a.bloc.empty()) resolves(NodeKind::activity, i, a.code, "bloc", a.bloc, NodeKind::bloc);
            if (!a.parent.empty())
                resolves(NodeKind::activity, i, a.code, "parent", a.parent, NodeKind::activity);
            for (std::size_t k = 0; k < a.competencies.size(); ++k)
                resolves(NodeKind::activity, i, a.code, "competencies/" + std::to_string(k),
                         a.competencies[k], NodeKind::competency);
        }
        for (std::size_t i = 0; i < c_.competencies.size(); ++i) {
            const Competency& comp = c_.competencies[i];
            if (blank(comp.bloc))
                report(DiagnosticCode::competency_outside_bloc, NodeKind::competency, i, comp.code,
                       "bloc",
                       "competency '" + comp.code + "' belongs to no bloc; set its `bloc`");
            else
                resolves(NodeKind::competency, i, comp.code, "bloc", comp.bloc, NodeKind::bloc);
        }
        for (std::size_t i = 0; i < c_.criteria.size(); ++i) {
            const Criterion& crit = c_.criteria[i];
            if (blank(crit.competency))
                report(DiagnosticCode::criterion_outside_competency, NodeKind::criterion, i,
                       crit.code, "competency",
                       "criterion '" + crit.code +
                           "' belongs to no competency; set its `competency`");
            else
                resolves(NodeKind::criterion, i, crit.code, "competency", crit.competency,
                         NodeKind::competency);
        }
        for (std::size_t i = 0; i < c_.epreuves.size(); ++i) {
            const Epreuve& e = c_.epreuves[i];
            for (std::size_t k = 0; k < e.evaluates.size(); ++k)
                resolves(NodeKind::epreuve, i, e.code, "evaluates/" + std::to_string(k),
                         e.evaluates[k], NodeKind::competency, NodeKind::criterion);
        }
        // Correspondences are reported on the certification (they are not nodes).
        for (std::size_t i = 0; i < c_.correspondences.size(); ++i) {
            const Correspondence& k = c_.correspondences[i];
            const std::string field = "/correspondences/" + std::to_string(i);
            for (const auto& bloc : k.blocs)
                if (!codes_.find(bloc, NodeKind::bloc))
                    report(DiagnosticCode::dangling_reference, NodeKind::certification, 0,
                           c_.certification.code, field,
                           "correspondence #" + std::to_string(i) + " names bloc '" + bloc +
                               "', which is not a bloc of this certification; fix the code");
            // Format 2 names the other fiche; then an empty list means a whole certification.
            if (k.fiche.empty() && (k.blocs.empty() || k.counterparts.empty()))
                report(DiagnosticCode::dangling_reference, NodeKind::certification, 0,
                       c_.certification.code, field,
                       "correspondence #" + std::to_string(i) +
                           " needs at least one bloc and one counterpart bloc, or the other "
                           "certification's code in `fiche` (format 2)");
        }
    }

    void check_cycles() {
        const Graph graph = build_graph(c_, codes_);
        const boost::filtered_graph<Graph, ContainmentOnly> containment(graph,
                                                                        ContainmentOnly{&graph});
        std::vector<Vertex> parent(boost::num_vertices(graph), Graph::null_vertex());
        std::vector<std::pair<Vertex, Vertex>> back_edges;
        boost::depth_first_search(containment,
                                  boost::visitor(CycleRecorder{{}, &parent, &back_edges}));

        for (auto [from, to] : back_edges) {
            // The cycle is to -> ... -> from -> to along DFS tree edges.
            std::vector<Vertex> path{from};
            while (path.back() != to && parent[path.back()] != Graph::null_vertex())
                path.push_back(parent[path.back()]);
            std::reverse(path.begin(), path.end());
            std::string text;
            for (Vertex v : path) text += std::string(code_of(graph[v].node)) + " -> ";
            text += std::string(code_of(graph[to].node));
            const NodeRef node = graph[to].node;
            report(DiagnosticCode::containment_cycle, node.kind, node.index,
                   std::string(code_of(node)), "parent",
                   "containment cycle " + text + "; a node cannot contain itself, fix a parent");
        }
    }

    void check_structure() {
        std::vector<std::size_t> competencies_per_bloc(c_.blocs.size());
        std::vector<std::size_t> criteria_per_competency(c_.competencies.size());
        std::vector<bool> evaluated(c_.competencies.size());  // covered, fully or in part
        std::vector<bool> evaluated_whole(c_.competencies.size());
        std::vector<bool> criterion_evaluated(c_.criteria.size());
        for (const auto& comp : c_.competencies)
            if (auto* b = codes_.find(comp.bloc, NodeKind::bloc)) ++competencies_per_bloc[b->index];
        for (const auto& crit : c_.criteria)
            if (auto* c = codes_.find(crit.competency, NodeKind::competency))
                ++criteria_per_competency[c->index];
        for (std::size_t i = 0; i < c_.epreuves.size(); ++i) {
            const Epreuve& e = c_.epreuves[i];
            if (e.evaluates.empty())
                report(DiagnosticCode::epreuve_evaluates_nothing, NodeKind::epreuve, i, e.code,
                       "evaluates",
                       "épreuve '" + e.code +
                           "' evaluates nothing; list its competencies or criteria in `evaluates`");
            for (const auto& code : e.evaluates) {
                if (auto* c = codes_.find(code, NodeKind::competency))
                    evaluated[c->index] = evaluated_whole[c->index] = true;
                if (auto* k = codes_.find(code, NodeKind::criterion)) {
                    criterion_evaluated[k->index] = true;
                    if (auto* c = codes_.find(c_.criteria[k->index].competency,
                                              NodeKind::competency))
                        evaluated[c->index] = true;
                }
            }
        }
        for (std::size_t i = 0; i < c_.blocs.size(); ++i)
            if (competencies_per_bloc[i] == 0)
                report(DiagnosticCode::bloc_without_competency, NodeKind::bloc, i,
                       c_.blocs[i].code, "",
                       "bloc '" + c_.blocs[i].code +
                           "' has no competency, so nothing can validate it; add its competencies");
        for (std::size_t i = 0; i < c_.competencies.size(); ++i) {
            const auto& code = c_.competencies[i].code;
            if (criteria_per_competency[i] == 0)
                report(DiagnosticCode::competency_without_criterion, NodeKind::competency, i, code,
                       "", "competency '" + code + "' has no criterion to be graded on");
            if (!evaluated[i])
                report(DiagnosticCode::competency_not_evaluated, NodeKind::competency, i, code, "",
                       "no épreuve evaluates competency '" + code +
                           "' or its criteria; add it to an épreuve's `evaluates`");
        }
        for (std::size_t i = 0; i < c_.criteria.size(); ++i) {
            const auto* c = codes_.find(c_.criteria[i].competency, NodeKind::competency);
            if (!c || !evaluated[c->index] || evaluated_whole[c->index] || criterion_evaluated[i])
                continue;
            report(DiagnosticCode::criterion_not_evaluated, NodeKind::criterion, i,
                   c_.criteria[i].code, "",
                   "épreuves evaluate other criteria of competency '" + c_.criteria[i].competency +
                       "' but none evaluates criterion '" + c_.criteria[i].code +
                       "'; add it (or its competency) to an épreuve's `evaluates`");
        }
        std::map<std::string, std::vector<std::size_t>, std::less<>> groups;
        for (std::size_t i = 0; i < c_.blocs.size(); ++i)
            if (!c_.blocs[i].option_group.empty()) groups[c_.blocs[i].option_group].push_back(i);
        for (const auto& [group, members] : groups)
            if (members.size() == 1)
                report(DiagnosticCode::option_group_single, NodeKind::bloc, members[0],
                       c_.blocs[members[0]].code, "option_group",
                       "option group '" + group +
                           "' has a single bloc, so it offers no choice; add the alternative "
                           "blocs or remove the group");
    }

    void mismatch(NodeKind kind, std::size_t i, const std::string& code, const char* field,
                  NodeKind parent_kind, const std::string& parent) {
        const auto mine = any_family(code, kind);
        const auto theirs = any_family(parent, parent_kind);
        if (!mine || !theirs || *mine == *theirs) return;
        report(DiagnosticCode::code_parent_mismatch, kind, i, code, field,
               std::string(to_string(kind)) + " '" + code + "' is numbered for " +
                   std::string(to_string(parent_kind)) + " " + std::to_string(*mine) +
                   " but sits under " + std::string(to_string(parent_kind)) + " '" + parent +
                   "'; move it or fix its code");
    }

    void check_families() {
        const std::string& cert = c_.certification.code;
        for (std::size_t i = 0; i < c_.blocs.size(); ++i) {
            const auto& code = c_.blocs[i].code;
            const auto bc = code.rfind("BC");
            // RNCP bloc codes are the fiche code followed by BCnn.
            if (bc != std::string::npos && code.rfind("RNCP", 0) == 0 && !cert.empty() &&
                code.substr(0, bc) != cert)
                report(DiagnosticCode::code_parent_mismatch, NodeKind::bloc, i, code, "code",
                       "bloc '" + code + "' is coded for fiche " + code.substr(0, bc) +
                           " but belongs to " + cert + "; fix its code");
        }
        for (std::size_t i = 0; i < c_.competencies.size(); ++i) {
            const auto& comp = c_.competencies[i];
            if (codes_.find(comp.bloc, NodeKind::bloc))
                mismatch(NodeKind::competency, i, comp.code, "bloc", NodeKind::bloc, comp.bloc);
        }
        for (std::size_t i = 0; i < c_.criteria.size(); ++i) {
            const auto& crit = c_.criteria[i];
            if (codes_.find(crit.competency, NodeKind::competency))
                mismatch(NodeKind::criterion, i, crit.code, "competency", NodeKind::competency,
                         crit.competency);
        }
        for (std::size_t i = 0; i < c_.activities.size(); ++i) {
            const auto& a = c_.activities[i];
            if (codes_.find(a.parent, NodeKind::activity))
                mismatch(NodeKind::activity, i, a.code, "parent", NodeKind::activity, a.parent);
            else if (codes_.find(a.bloc, NodeKind::bloc))
                mismatch(NodeKind::activity, i, a.code, "bloc", NodeKind::bloc, a.bloc);
        }
    }

    std::string_view code_of(NodeRef node) const {
        switch (node.kind) {
            case NodeKind::certification: return c_.certification.code;
            case NodeKind::bloc: return c_.blocs[node.index].code;
            case NodeKind::activity: return c_.activities[node.index].code;
            case NodeKind::competency: return c_.competencies[node.index].code;
            case NodeKind::criterion: return c_.criteria[node.index].code;
            case NodeKind::epreuve: return c_.epreuves[node.index].code;
        }
        return {};
    }

    const Content& c_;
    CodeIndex codes_;
    std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> check(const Content& content) { return Checker(content).run(); }

}  // namespace certigraph::detail
