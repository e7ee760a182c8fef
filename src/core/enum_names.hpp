// Private helper: an enum's stable names as a table in enum order.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace certigraph::detail {

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<const char*, N>& names, Enum value) noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? names[i] : "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<const char*, N>& names,
                             std::string_view name) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (name == names[i]) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace certigraph::detail
