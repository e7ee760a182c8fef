// Private to the interop area: which scale of a policy applies to a criterion,
// and its levels from the highest down, as the LMS and CASE rubrics list them.
#pragma once

#include <certigraph/grading/policy.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::interop::detail {

/// The scale of a criterion (its own entry, then its épreuve's, then the default);
/// binary when the policy names none.
inline Scale scale_for(const Policy& policy, std::string_view criterion, std::string_view epreuve = {}) {
    auto named = [&](std::string_view code) -> const Scale* {
        const auto it = policy.scale_of.find(std::string(code));
        if (it == policy.scale_of.end()) return nullptr;
        const auto s = policy.scales.find(it->second);
        return s == policy.scales.end() ? nullptr : &s->second;
    };
    if (const Scale* s = named(criterion)) return *s;
    if (!epreuve.empty())
        if (const Scale* s = named(epreuve)) return *s;
    const auto d = policy.scales.find(policy.default_scale);
    if (d != policy.scales.end()) return d->second;
    return Scale::binary();
}

/// "10", "12.5": a number as people write it.
inline std::string number_text(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    std::string s = std::to_string(v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

struct Level {
    std::string label;
    double score;
};

/// The levels of a scale, highest first: binary acquis (1) / non acquis (0);
/// ordinal its labels (n .. 1); numeric the maximum, the pass mark and the minimum.
inline std::vector<Level> levels_of(const Scale& scale, double threshold) {
    std::vector<Level> out;
    switch (scale.kind) {
        case ScaleKind::binary: {
            const std::string yes = scale.labels.size() == 2 ? scale.labels[1] : "acquis";
            const std::string no = scale.labels.size() == 2 ? scale.labels[0] : "non acquis";
            out.push_back({yes, 1});
            out.push_back({no, 0});
            break;
        }
        case ScaleKind::ordinal:
            for (std::size_t i = scale.labels.size(); i-- > 0;)
                out.push_back({scale.labels[i], static_cast<double>(i + 1)});
            break;
        case ScaleKind::numeric: {
            const std::string of = "/" + number_text(scale.max);
            out.push_back({"maximum (" + number_text(scale.max) + of + ")", scale.max});
            if (threshold < scale.max && threshold > scale.min)
                out.push_back({"seuil de réussite (" + number_text(threshold) + of + ")", threshold});
            out.push_back({"minimum (" + number_text(scale.min) + of + ")", scale.min});
            break;
        }
    }
    return out;
}

/// The pass threshold for a criterion: the most specific override of the policy
/// (criterion, competency, bloc), else the scale's.
inline double threshold_for(const Policy& policy, const Scale& scale, std::string_view criterion,
                            std::string_view competency, std::string_view bloc) {
    for (std::string_view code : {criterion, competency, bloc}) {
        const auto it = policy.thresholds.find(std::string(code));
        if (!code.empty() && it != policy.thresholds.end()) return it->second;
    }
    return scale.threshold();
}

}  // namespace certigraph::interop::detail
