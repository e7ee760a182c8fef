#include <certigraph/date.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace certigraph {

namespace {

bool is_real(int year, unsigned month, unsigned day) {
    if (year < 1 || year > 9999) return false;
    return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                       std::chrono::day{day}}
        .ok();
}

template <class T>
bool parse_digits(std::string_view text, T& value) {
    for (char c : text)
        if (c < '0' || c > '9') return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size();
}

}  // namespace

Date::Date(int year, unsigned month, unsigned day)
    : year_(static_cast<std::int16_t>(year)),
      month_(static_cast<std::uint8_t>(month)),
      day_(static_cast<std::uint8_t>(day)) {
    if (!is_real(year, month, day))
        throw std::invalid_argument("not a calendar date: " + std::to_string(year) + "-" +
                                    std::to_string(month) + "-" + std::to_string(day));
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int year = 0;
    unsigned month = 0, day = 0;
    if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month) ||
        !parse_digits(text.substr(8, 2), day) || !is_real(year, month, day))
        return std::nullopt;
    return Date(year, month, day);
}

std::int32_t Date::days_since_epoch() const noexcept {
    const std::chrono::sys_days days{std::chrono::year{year_} / std::chrono::month{month_} /
                                     std::chrono::day{day_}};
    return static_cast<std::int32_t>(days.time_since_epoch().count());
}

std::string Date::to_string() const {
    if (year_ >= 0 && year_ <= 9999) {  // the common case, without printf (a ledger writes a million)
        const unsigned y = static_cast<unsigned>(year_);
        const char text[10] = {static_cast<char>('0' + y / 1000),     static_cast<char>('0' + y / 100 % 10),
                               static_cast<char>('0' + y / 10 % 10),  static_cast<char>('0' + y % 10),
                               '-',
                               static_cast<char>('0' + month_ / 10), static_cast<char>('0' + month_ % 10),
                               '-',
                               static_cast<char>('0' + day_ / 10),   static_cast<char>('0' + day_ % 10)};
        return std::string(text, sizeof text);
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int{year_}, unsigned{month_},
                  unsigned{day_});
    return buffer;
}

}  // namespace certigraph
