// Private: strict JSON reading shared by every certigraph JSON format. Parsing
// refuses malformed text and repeated keys with the place (line:column or JSON
// pointer); Reader walks a parsed document, naming the JSON pointer of any value
// that does not have the expected shape.
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::io::detail {

using json = nlohmann::json;

/// "an object", "a string", ...
std::string type_name(const json& value);

/// A key as a JSON pointer token (RFC 6901).
std::string escape(const std::string& key);

/// Parses JSON text, refusing malformed text (`source:line:column`) and keys
/// repeated in one object (JSON pointer). @throws ParseError
json parse_strict(std::string_view text, std::string_view source);

/// Reads one JSON value, knowing where it sits; every error names that place.
class Reader {
  public:
    Reader(const json& value, std::string pointer, std::string_view source)
        : value_(value), pointer_(std::move(pointer)), source_(source) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw ParseError(std::string(source_), 0, 0, pointer_.empty() ? "/" : pointer_, problem);
    }

    const json& value() const { return value_; }

    /// This value must be an object whose keys are all in `allowed`.
    void expect_object(std::initializer_list<std::string_view> allowed) const {
        if (!value_.is_object()) fail("expected an object, found " + type_name(value_));
        for (const auto& [key, _] : value_.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string list;
            for (auto k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
            Reader(value_[key], pointer_ + "/" + escape(key), source_)
                .fail("unknown key '" + key + "'; the keys allowed here are: " + list);
        }
    }

    bool has(std::string_view key) const { return value_.contains(key); }

    Reader operator[](std::string_view key) const {
        const std::string k(key);
        if (!value_.contains(k)) fail("missing required key '" + k + "'");
        return Reader(value_.at(k), pointer_ + "/" + escape(k), source_);
    }

    std::string string() const {
        if (!value_.is_string()) fail("expected a string, found " + type_name(value_));
        return value_.get<std::string>();
    }
    bool boolean() const {
        if (!value_.is_boolean()) fail("expected true or false, found " + type_name(value_));
        return value_.get<bool>();
    }
    long long integer() const {
        if (!value_.is_number_integer())
            fail("expected an integer, found " + type_name(value_));
        constexpr long long limit = 1'000'000'000;
        if ((value_.is_number_unsigned() && value_.get<unsigned long long>() > limit) ||
            (!value_.is_number_unsigned() &&
             (value_.get<long long>() > limit || value_.get<long long>() < -limit)))
            fail("integer out of range (at most " + std::to_string(limit) + " in magnitude)");
        return value_.get<long long>();
    }
    double number() const {
        if (!value_.is_number()) fail("expected a number, found " + type_name(value_));
        return value_.get<double>();
    }
    Date date() const {
        auto d = Date::parse(string());
        if (!d) fail("'" + value_.get<std::string>() + "' is not a date; write YYYY-MM-DD");
        return *d;
    }
    template <class F>
    void each(F&& f) const {
        if (!value_.is_array()) fail("expected an array, found " + type_name(value_));
        for (std::size_t i = 0; i < value_.size(); ++i)
            f(Reader(value_[i], pointer_ + "/" + std::to_string(i), source_));
    }
    /// Element `i` of this array (which must hold it).
    Reader at(std::size_t i) const { return Reader(value_.at(i), pointer_ + "/" + std::to_string(i), source_); }
    std::vector<std::string> strings() const {
        std::vector<std::string> out;
        each([&](const Reader& r) { out.push_back(r.string()); });
        return out;
    }
    template <class Enum>
    Enum enumeration(std::optional<Enum> (*from_string)(std::string_view) noexcept,
                     std::initializer_list<std::string_view> names) const {
        const std::string text = string();
        if (auto v = from_string(text)) return *v;
        std::string list;
        for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
        fail("unknown value '" + text + "'; use one of: " + list);
    }

    // Optional fields: assign only when present.
    void optional_string(std::string_view key, std::string& out) const {
        if (has(key)) out = (*this)[key].string();
    }
    void optional_strings(std::string_view key, std::vector<std::string>& out) const {
        if (has(key)) out = (*this)[key].strings();
    }

  private:
    const json& value_;
    std::string pointer_;
    std::string_view source_;
};


/// Checks the `format` and `format_version` members every certigraph document starts
/// with. @throws ParseError
void check_format(const Reader& root, std::string_view format, std::string_view what,
                  long long newest_version);

}  // namespace certigraph::io::detail
