// Compiling a policy against a référentiel: every code resolved, every rule
// checked once, so that grading never meets an inconsistency.
#include <certigraph/error.hpp>

#include "grading/compiled.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace certigraph::detail {

namespace {

std::string number_text(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

[[noreturn]] void fail(const std::string& where, const std::string& problem) {
    throw GradingError("policy: " + where + ": " + problem);
}

class Compiler {
  public:
    Compiler(const Referentiel& ref, const Policy& policy) : ref_(ref), p_(policy) {}

    void run(CompiledPolicy& out) {
        const auto& cert = ref_.certification();
        if (p_.referentiel != cert.code)
            fail("referentiel", "the policy is written for '" + p_.referentiel + "', not for " +
                                    cert.code + "; use a policy of this référentiel");
        check_keys();
        out.criteria = ref_.criteria().size();
        out.competencies = ref_.competencies().size();
        out.blocs = ref_.blocs().size();
        compile_criteria(out);
        compile_rules(out);
    }

  private:
    // Every code a policy names must exist, with a kind the field accepts.
    void check_keys() const {
        auto expect = [&](const std::string& field, const std::string& code,
                          std::initializer_list<NodeKind> kinds) {
            const auto node = ref_.find(code);
            std::string names;
            for (NodeKind k : kinds)
                names += (names.empty() ? "" : " or ") +
                         std::string(k == NodeKind::epreuve ? "épreuve" : to_string(k));
            if (!node)
                fail(field + "/" + code, "'" + code + "' is not a code of " + ref_.certification().code +
                                             "; expected a " + names);
            if (std::find(kinds.begin(), kinds.end(), node->kind) == kinds.end())
                fail(field + "/" + code, "'" + code + "' is a " + std::string(to_string(node->kind)) +
                                             "; this field takes a " + names);
        };
        using K = NodeKind;
        for (const auto& [code, _] : p_.scale_of) expect("scale_of", code, {K::criterion, K::epreuve});
        for (const auto& [code, _] : p_.thresholds)
            expect("thresholds", code, {K::criterion, K::competency, K::bloc, K::epreuve});
        for (const auto& [code, _] : p_.aggregation_of)
            expect("aggregation_of", code, {K::criterion, K::epreuve});
        for (const auto& [code, _] : p_.competency_rules) expect("competency_rules", code, {K::competency});
        for (const auto& [code, _] : p_.bloc_rules) expect("bloc_rules", code, {K::bloc});
        for (const auto& code : p_.compensation) expect("compensation", code, {K::bloc});
        if (!p_.scales.count(p_.default_scale))
            fail("default_scale", "'" + p_.default_scale + "' is not one of the declared scales");
        for (const auto& [code, name] : p_.scale_of)
            if (!p_.scales.count(name))
                fail("scale_of/" + code, "'" + name + "' is not one of the declared scales");
    }

    // The most specific entry for a criterion: itself, then (for scales and
    // aggregation) its épreuves; `what` names the field for errors.
    template <class T>
    const T* lookup_by_criterion_or_epreuve(const std::map<std::string, T>& map, Index k,
                                            const char* what) const {
        const auto& code = ref_.criteria()[k].code;
        if (auto it = map.find(code); it != map.end()) return &it->second;
        const T* found = nullptr;
        std::string found_epreuve;
        for (Index e : ref_.epreuves_covering_criterion(k)) {
            const auto& ep = ref_.epreuves()[e].code;
            auto it = map.find(ep);
            if (it == map.end()) continue;
            if (found && !(*found == it->second))
                fail(std::string(what) + "/" + ep,
                     "criterion " + code + " is evaluated by " + found_epreuve + " and " + ep +
                         ", which set different values; set it on the criterion itself");
            found = &it->second;
            found_epreuve = ep;
        }
        return found;
    }

    void compile_criteria(CompiledPolicy& out) const {
        const std::size_t n = out.criteria;
        out.scale.resize(n);
        out.threshold.resize(n);
        out.lowest.resize(n);
        out.highest.resize(n);
        out.aggregation.resize(n);
        for (Index k = 0; k < n; ++k) {
            const std::string* scale_name = lookup_by_criterion_or_epreuve(p_.scale_of, k, "scale_of");
            const Scale& scale = p_.scales.at(scale_name ? *scale_name : p_.default_scale);
            out.scale[k] = scale;
            const Aggregation* agg = lookup_by_criterion_or_epreuve(p_.aggregation_of, k, "aggregation_of");
            out.aggregation[k] = agg ? *agg : p_.aggregation;

            // Threshold: criterion, then competency, then épreuve, then bloc.
            const Index comp = ref_.competency_of_criterion(k);
            std::optional<std::pair<std::string, double>> t;
            auto take = [&](const std::string& code) {
                if (t) return;
                if (auto it = p_.thresholds.find(code); it != p_.thresholds.end()) t.emplace(code, it->second);
            };
            take(ref_.criteria()[k].code);
            take(ref_.competencies()[comp].code);
            if (!t)
                if (const double* by_epreuve = lookup_by_criterion_or_epreuve(p_.thresholds, k, "thresholds"))
                    t.emplace(ref_.criteria()[k].code, *by_epreuve);
            take(ref_.blocs()[ref_.bloc_of_competency(comp)].code);
            const double threshold = t ? t->second : scale.threshold();
            if (t && (threshold < scale.lowest() || threshold > scale.highest()))
                fail("thresholds/" + t->first,
                     number_text(threshold) + " lies outside the scale of criterion " +
                         ref_.criteria()[k].code + " (" + scale.describe() + ")");
            out.threshold[k] = static_cast<float>(threshold);
            out.lowest[k] = static_cast<float>(scale.lowest());
            out.highest[k] = static_cast<float>(scale.highest());
        }
    }

    bool compensates(const Rule& r) const {
        return r.kind == RuleKind::points || r.kind == RuleKind::weighted_mean;
    }

    // Adds one node's rule over `kids` (dense indices of children named `codes`).
    CompiledRule add_rule(CompiledPolicy& out, const Rule& rule, const std::string& field,
                          const std::string& node, const std::vector<Index>& kids,
                          const std::vector<std::string>& codes, const std::string& bloc_code,
                          bool specific) const {
        CompiledRule c;
        c.kind = rule.kind;
        c.first = static_cast<std::uint32_t>(out.children.size());
        c.count = static_cast<std::uint32_t>(kids.size());
        if (compensates(rule) &&
            std::find(p_.compensation.begin(), p_.compensation.end(), bloc_code) == p_.compensation.end())
            fail(field, "rule '" + std::string(to_string(rule.kind)) + "' compensates between the children of " +
                            node + ", but bloc " + bloc_code +
                            " is not listed in `compensation`; list it there or use `all` or `at_least`");
        std::set<std::string> child_codes(codes.begin(), codes.end());
        auto check_named = [&](const std::string& key, const char* sub) {
            if (!child_codes.count(key))
                fail(field + "/" + sub + "/" + key, "'" + key + "' is not a child of " + node);
        };
        // A default rule serves many nodes: its weights apply where the code is a
        // child. A node's own rule must name only its children.
        for (std::size_t i = 0; i < kids.size(); ++i) {
            out.children.push_back(kids[i]);
            double w = 1.0;
            if (rule.kind == RuleKind::weighted_mean)
                if (auto it = rule.weights.find(codes[i]); it != rule.weights.end()) w = it->second;
            if (rule.kind == RuleKind::points)
                if (auto it = rule.points.find(codes[i]); it != rule.points.end()) w = it->second;
            out.weight.push_back(w);
            out.required.push_back(std::find(rule.required.begin(), rule.required.end(), codes[i]) !=
                                   rule.required.end());
        }
        for (const auto& [key, value] : rule.points)
            if (!(value >= 0)) fail(field + "/points/" + key, "points must be >= 0");
        if (specific) {
            for (const auto& [key, _] : rule.weights) check_named(key, "weights");
            for (const auto& [key, _] : rule.points) check_named(key, "points");
            for (const auto& key : rule.required) check_named(key, "required");
        }
        std::ostringstream text;
        switch (rule.kind) {
            case RuleKind::all: text << "all"; break;
            case RuleKind::at_least:
                c.k = rule.k;
                if (rule.k > kids.size())
                    fail(field, "at_least " + std::to_string(rule.k) + " cannot be met by " + node +
                                    ", which has " + std::to_string(kids.size()) +
                                    (kids.size() == 1 ? " child" : " children"));
                text << "at_least " << rule.k;
                break;
            case RuleKind::points: {
                c.minimum = rule.minimum;
                double total = 0;
                for (std::size_t i = 0; i < kids.size(); ++i) total += out.weight[c.first + i];
                if (rule.minimum > total)
                    fail(field, "points >= " + number_text(rule.minimum) + " cannot be met by " + node +
                                    ", whose children are worth " + number_text(total) + " points in all");
                text << "points >= " << rule.minimum;
                break;
            }
            case RuleKind::weighted_mean: {
                c.threshold = rule.threshold;
                if (rule.floor) c.floor = *rule.floor;
                double total = 0;
                for (std::size_t i = 0; i < kids.size(); ++i) total += out.weight[c.first + i];
                if (!(total > 0)) fail(field + "/weights", "the weights of " + node + "'s children add up to 0");
                text << "weighted_mean >= " << rule.threshold;
                if (rule.floor) text << " (floor " << *rule.floor << ")";
                break;
            }
        }
        if (kids.empty()) fail(field, node + " has no children to apply its rule to");
        c.text = text.str();
        return c;
    }

    void check_same_range(const CompiledPolicy& out, const std::vector<Index>& criteria,
                          const std::string& field, const std::string& node) const {
        for (Index k : criteria)
            if (out.lowest[k] != out.lowest[criteria[0]] || out.highest[k] != out.highest[criteria[0]])
                fail(field, "a weighted mean over " + node + " mixes scales (" +
                                ref_.criteria()[criteria[0]].code + " and " + ref_.criteria()[k].code +
                                "); give its criteria one scale");
    }

    // A default rule's weights, points and required children must each name a
    // child of some node it applies to (a typo would otherwise be ignored).
    void check_default_rule_names(const Rule& rule, const std::string& field, NodeKind child_kind,
                                  bool criteria_level) const {
        auto check = [&](const std::string& key, const char* sub) {
            const auto node = ref_.find(key);
            const NodeKind expected = criteria_level ? NodeKind::criterion : child_kind;
            if (!node || node->kind != expected)
                fail(field + "/" + sub + "/" + key,
                     "'" + key + "' is not a " + std::string(to_string(expected)) + " of " +
                         ref_.certification().code);
        };
        for (const auto& [key, _] : rule.weights) check(key, "weights");
        for (const auto& [key, _] : rule.points) check(key, "points");
        for (const auto& key : rule.required) check(key, "required");
    }

    void check_mean_bounds(const CompiledPolicy& out, const Rule& rule, const std::vector<Index>& criteria,
                           const std::string& field) const {
        if (rule.kind != RuleKind::weighted_mean || criteria.empty()) return;
        const double lo = out.lowest[criteria[0]], hi = out.highest[criteria[0]];
        if (rule.threshold < lo || rule.threshold > hi)
            fail(field + "/threshold", number_text(rule.threshold) + " lies outside the scale of the criteria (" +
                                           number_text(lo) + " to " + number_text(hi) + ")");
        if (rule.floor && (*rule.floor < lo || *rule.floor > hi))
            fail(field + "/floor", number_text(*rule.floor) + " lies outside the scale of the criteria (" +
                                       number_text(lo) + " to " + number_text(hi) + ")");
    }

    void compile_rules(CompiledPolicy& out) const {
        check_default_rule_names(p_.competency_rule, "competency_rule", NodeKind::criterion, true);
        check_default_rule_names(p_.bloc_rule, "bloc_rule", NodeKind::competency, p_.bloc_rule.over_criteria);
        for (Index c = 0; c < out.competencies; ++c) {
            const auto& code = ref_.competencies()[c].code;
            auto it = p_.competency_rules.find(code);
            const Rule& rule = it != p_.competency_rules.end() ? it->second : p_.competency_rule;
            const std::string field = it != p_.competency_rules.end() ? "competency_rules/" + code : "competency_rule";
            const auto kids_span = ref_.criteria_of_competency(c);
            const std::vector<Index> kids(kids_span.begin(), kids_span.end());
            std::vector<std::string> codes;
            for (Index k : kids) codes.push_back(ref_.criteria()[k].code);
            if (rule.kind == RuleKind::weighted_mean) {
                check_same_range(out, kids, field, code);
                check_mean_bounds(out, rule, kids, field);
            }
            const auto& bloc = ref_.blocs()[ref_.bloc_of_competency(c)].code;
            out.competency_rule.push_back(
                add_rule(out, rule, field, code, kids, codes, bloc, it != p_.competency_rules.end()));
        }
        for (Index b = 0; b < out.blocs; ++b) {
            const auto& code = ref_.blocs()[b].code;
            auto it = p_.bloc_rules.find(code);
            const Rule& rule = it != p_.bloc_rules.end() ? it->second : p_.bloc_rule;
            const std::string field = it != p_.bloc_rules.end() ? "bloc_rules/" + code : "bloc_rule";
            const auto kids_span = rule.over_criteria ? ref_.criteria_of_bloc(b) : ref_.competencies_of_bloc(b);
            const std::vector<Index> kids(kids_span.begin(), kids_span.end());
            std::vector<std::string> codes;
            for (Index k : kids)
                codes.push_back(rule.over_criteria ? ref_.criteria()[k].code : ref_.competencies()[k].code);
            if (rule.kind == RuleKind::weighted_mean) {
                const auto crits = ref_.criteria_of_bloc(b);
                const std::vector<Index> all_criteria(crits.begin(), crits.end());
                check_same_range(out, all_criteria, field, code);
                check_mean_bounds(out, rule, all_criteria, field);
            }
            out.bloc_over_criteria.push_back(rule.over_criteria);
            out.bloc_rule.push_back(
                add_rule(out, rule, field, code, kids, codes, code, it != p_.bloc_rules.end()));
        }
    }

    const Referentiel& ref_;
    const Policy& p_;
};

/// Bit-set rules and division-free thresholds for the mask kernel (see compiled.hpp).
void compile_masks(CompiledPolicy& out) {
    out.passing_sum.resize(out.criteria);
    for (Index k = 0; k < out.criteria; ++k)
        for (unsigned d = 1; d <= CompiledPolicy::mask_max_jurors; ++d)
            out.passing_sum[k][d - 1] = smallest_passing_sum(out.threshold[k], d);
    auto counting = [](const CompiledRule& r) { return r.kind == RuleKind::all || r.kind == RuleKind::at_least; };
    out.masks_fit = out.criteria <= 64 && out.competencies <= 64 &&
                    std::all_of(out.competency_rule.begin(), out.competency_rule.end(), counting) &&
                    std::all_of(out.bloc_rule.begin(), out.bloc_rule.end(), counting);
    if (!out.masks_fit) return;
    // A rule's bit set; false when a child is named twice (a count would see it twice).
    auto members = [&](const std::uint32_t* kids, std::uint32_t count, CompiledPolicy::MaskRule& m) {
        for (std::uint32_t c = 0; c < count; ++c) {
            const std::uint64_t bit = std::uint64_t{1} << kids[c];
            if (m.members & bit) return false;
            m.members |= bit;
        }
        return true;
    };
    auto mask_of = [&](const CompiledRule& r, CompiledPolicy::MaskRule& m) {
        m.all = r.kind == RuleKind::all;
        m.k = r.k;
        return members(out.children.data() + r.first, r.count, m);
    };
    for (const CompiledRule& r : out.competency_rule)
        out.masks_fit &= mask_of(r, out.competency_masks.emplace_back());
    for (Index b = 0; b < out.blocs; ++b) {
        auto& m = out.bloc_masks.emplace_back();
        out.masks_fit &= out.all_of_all
                             ? members(out.bloc_criteria.data() + out.bloc_criteria_first[b],
                                       out.bloc_criteria_first[b + 1] - out.bloc_criteria_first[b], m)
                             : mask_of(out.bloc_rule[b], m);
    }
}

}  // namespace

CompiledPolicy compile(Referentiel referentiel, Policy policy) {
    CompiledPolicy out{std::move(referentiel), std::move(policy)};
    Compiler(out.referentiel, out.policy).run(out);
    auto is_all = [](const CompiledRule& r) { return r.kind == RuleKind::all; };
    out.all_of_all = std::all_of(out.competency_rule.begin(), out.competency_rule.end(), is_all) &&
                     std::all_of(out.bloc_rule.begin(), out.bloc_rule.end(), is_all);
    out.bloc_criteria_first.push_back(0);
    for (Index b = 0; b < out.blocs; ++b) {
        for (Index k : out.referentiel.criteria_of_bloc(b)) out.bloc_criteria.push_back(k);
        out.bloc_criteria_first.push_back(static_cast<std::uint32_t>(out.bloc_criteria.size()));
    }
    out.bloc_criteria_contiguous = true;
    for (Index b = 0; b < out.blocs; ++b)
        for (std::uint32_t q = out.bloc_criteria_first[b] + 1; q < out.bloc_criteria_first[b + 1]; ++q)
            out.bloc_criteria_contiguous &= out.bloc_criteria[q] == out.bloc_criteria[q - 1] + 1;
    compile_masks(out);
    return out;
}

float smallest_passing_sum(float threshold, unsigned d) {
    if (std::isnan(threshold)) return threshold;  // nothing passes, as `s >= NaN` is false
    constexpr float inf = std::numeric_limits<float>::infinity();
    const float divisor = static_cast<float>(d);
    auto passes = [&](float s) { return s / divisor >= threshold; };
    // Start near the answer, then walk float by float: up until s passes (+inf does),
    // then down while the float below still passes. s / d is monotone in s.
    float s = static_cast<float>(static_cast<double>(threshold) * d);
    while (!passes(s)) s = std::nextafter(s, inf);
    while (s != -inf && passes(std::nextafter(s, -inf))) s = std::nextafter(s, -inf);
    return s;
}

}  // namespace certigraph::detail
