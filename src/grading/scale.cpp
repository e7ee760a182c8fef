#include <certigraph/grading/scale.hpp>

#include "core/enum_names.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

namespace certigraph {

namespace {

constexpr std::array scale_kind_names{"binary", "ordinal", "numeric"};
const std::vector<std::string> binary_labels{"non acquis", "acquis"};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string_view to_string(ScaleKind kind) noexcept {
    return detail::name_of(scale_kind_names, kind);
}
std::optional<ScaleKind> scale_kind_from_string(std::string_view name) noexcept {
    return detail::value_of<ScaleKind>(scale_kind_names, name);
}

Scale Scale::binary() { return Scale{ScaleKind::binary, 0, 1, 1, 0, {}, 0}; }
Scale Scale::ordinal(std::vector<std::string> labels, unsigned proficiency) {
    return Scale{ScaleKind::ordinal, 0, 0, 0, 0, std::move(labels), proficiency};
}
Scale Scale::numeric(double min, double max, double pass_mark, double step) {
    return Scale{ScaleKind::numeric, min, max, pass_mark, step, {}, 0};
}

bool operator==(const Scale& a, const Scale& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case ScaleKind::numeric:
            return a.min == b.min && a.max == b.max && a.pass_mark == b.pass_mark && a.step == b.step;
        case ScaleKind::binary: return a.labels == b.labels;
        case ScaleKind::ordinal: return a.labels == b.labels && a.proficiency == b.proficiency;
    }
    return false;
}

double Scale::lowest() const noexcept {
    switch (kind) {
        case ScaleKind::binary: return 0.0;
        case ScaleKind::ordinal: return 1.0;
        case ScaleKind::numeric: return min;
    }
    return 0.0;
}

double Scale::highest() const noexcept {
    switch (kind) {
        case ScaleKind::binary: return 1.0;
        case ScaleKind::ordinal: return static_cast<double>(labels.size());
        case ScaleKind::numeric: return max;
    }
    return 0.0;
}

double Scale::threshold() const noexcept {
    switch (kind) {
        case ScaleKind::binary: return 1.0;
        case ScaleKind::ordinal: return static_cast<double>(proficiency);
        case ScaleKind::numeric: return pass_mark;
    }
    return 0.0;
}

bool Scale::contains(double v) const noexcept {
    if (!std::isfinite(v) || v < lowest() || v > highest()) return false;
    if (kind != ScaleKind::numeric) return v == std::floor(v);
    if (step > 0) {
        const double k = (v - min) / step;
        return std::fabs(k - std::round(k)) < 1e-9;
    }
    return true;
}

std::optional<double> Scale::parse(std::string_view text) const {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    const auto& names = kind == ScaleKind::binary && labels.empty() ? binary_labels : labels;
    if (kind != ScaleKind::numeric)
        for (std::size_t i = 0; i < names.size(); ++i)
            if (iequals(text, names[i]))
                return kind == ScaleKind::binary ? static_cast<double>(i) : static_cast<double>(i + 1);
    double v = 0;
    // Accept a decimal comma ("12,5"), common in French spreadsheets.
    std::string copy(text);
    if (copy.find(',') != std::string::npos && copy.find('.') == std::string::npos)
        copy[copy.find(',')] = '.';
    auto [end, error] = std::from_chars(copy.data(), copy.data() + copy.size(), v);
    if (error != std::errc{} || end != copy.data() + copy.size()) return std::nullopt;
    if (!contains(v)) return std::nullopt;
    return v;
}

std::string Scale::describe() const {
    std::ostringstream os;
    switch (kind) {
        case ScaleKind::binary: {
            const auto& names = labels.empty() ? binary_labels : labels;
            os << "0 or 1 ('" << names[0] << "' or '" << names[1] << "')";
            break;
        }
        case ScaleKind::ordinal:
            os << "a level 1 to " << labels.size() << " or its label (";
            for (std::size_t i = 0; i < labels.size(); ++i) os << (i ? ", '" : "'") << labels[i] << "'";
            os << ")";
            break;
        case ScaleKind::numeric:
            os << "a number from " << min << " to " << max;
            if (step > 0) os << " by " << step;
            break;
    }
    return os.str();
}

}  // namespace certigraph
