// Scales on which jurors give values: binary, ordinal, numeric.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph {

enum class ScaleKind : std::uint8_t {
    binary,   ///< non acquis (0) / acquis (1)
    ordinal,  ///< ordered labels; values 1..n; met from the proficiency level up
    numeric,  ///< a number in [min, max], met from the pass mark up (e.g. 0-20, pass 10)
};

/// A scale. Every value is stored as a number: binary 0/1, ordinal the level
/// number 1..n, numeric the value itself; a value meets the scale when it is
/// >= threshold(). Labels may be used wherever a value is read.
struct Scale {
    ScaleKind kind = ScaleKind::numeric;
    double min = 0.0;        ///< numeric
    double max = 20.0;       ///< numeric
    double pass_mark = 10.0;  ///< numeric
    double step = 0.0;        ///< numeric: values must be multiples of step above min; 0 = any
    /// binary: {"non acquis", "acquis"} when empty; ordinal: levels, lowest first.
    std::vector<std::string> labels{};
    unsigned proficiency = 0;  ///< ordinal: the first level (1-based) that is met

    static Scale binary();
    static Scale ordinal(std::vector<std::string> labels, unsigned proficiency);
    static Scale numeric(double min, double max, double pass_mark, double step = 0.0);

    /// Smallest and largest values; the value from which a criterion is met.
    double lowest() const noexcept;
    double highest() const noexcept;
    double threshold() const noexcept;

    /// A number or a label (case-insensitive) turned into a value of this scale;
    /// std::nullopt if it is neither or lies outside the scale.
    std::optional<double> parse(std::string_view text) const;
    /// True if v is a value of this scale (range, integrality, step).
    bool contains(double v) const noexcept;
    /// How to write a valid value, for error messages: "a number from 0 to 20 by 0.5".
    std::string describe() const;

    /// Same kind and the same fields that matter for that kind.
    friend bool operator==(const Scale& a, const Scale& b);
};

std::string_view to_string(ScaleKind kind) noexcept;
std::optional<ScaleKind> scale_kind_from_string(std::string_view name) noexcept;

}  // namespace certigraph
