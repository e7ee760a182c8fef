// Calendar dates (no time zone): RNCP dates, session and decision dates.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certigraph {

/// A valid proleptic Gregorian calendar date.
class Date {
  public:
    /// @throws std::invalid_argument if the triple is not a real date.
    Date(int year, unsigned month, unsigned day);

    /// Parses ISO 8601 `YYYY-MM-DD`; std::nullopt if malformed or not a real date.
    static std::optional<Date> parse(std::string_view text);

    int year() const noexcept { return year_; }
    unsigned month() const noexcept { return month_; }
    unsigned day() const noexcept { return day_; }

    /// Days since 1970-01-01 (negative before).
    std::int32_t days_since_epoch() const noexcept;

    /// `YYYY-MM-DD`.
    std::string to_string() const;

    friend bool operator==(const Date&, const Date&) = default;
    friend auto operator<=>(const Date&, const Date&) = default;

  private:
    std::int16_t year_;
    std::uint8_t month_;
    std::uint8_t day_;
};

}  // namespace certigraph
