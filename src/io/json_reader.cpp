#include "io/json_reader.hpp"

#include <functional>
#include <set>

namespace certigraph::io::detail {

namespace {

/// Builds the document from nlohmann's SAX events, refusing keys repeated in one
/// object (nlohmann keeps the last one silently). Linear in the size of the text: a
/// parse callback would make nlohmann look at each array again as it grows, which is
/// quadratic (a référentiel of 300,000 criteria never finished).
class StrictBuilder {
  public:
    explicit StrictBuilder(json& root) : root_(root) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(json::number_integer_t v) { return put(v); }
    bool number_unsigned(json::number_unsigned_t v) { return put(v); }
    bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
    bool string(json::string_t& v) { return put(std::move(v)); }
    bool binary(json::binary_t& v) { return put(json::binary(std::move(v))); }
    bool start_object(std::size_t) {
        json* value = place(json::object());
        stack_.push_back({value, {}});
        return true;
    }
    bool key(json::string_t& k) {
        Frame& frame = stack_.back();
        if (frame.container->contains(k)) {
            duplicate_ = std::pair{pointer(false) + "/" + escape(k), k};
            return false;  // stops the parse
        }
        frame.key = std::move(k);
        return true;
    }
    bool end_object() {
        close();
        return true;
    }
    bool start_array(std::size_t) {
        json* value = place(json::array());
        stack_.push_back({value, {}});
        return true;
    }
    bool end_array() {
        close();
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        // `position` counts the bytes read. A number too large (error 406) has been
        // read whole: point at its first byte; a syntax error, at the byte read last.
        error_position_ = e.id == 406 && position > token.size() ? position - token.size() + 1 : position;
        error_ = e.what();
        return false;
    }

    /// (pointer, key) of the first repeated key, if any.
    const std::optional<std::pair<std::string, std::string>>& duplicate() const { return duplicate_; }
    /// The byte position and message of a syntax error, if any.
    const std::optional<std::string>& error() const { return error_; }
    std::size_t error_position() const { return error_position_; }
    /// The JSON pointer of the value being read.
    std::string pointer(bool top_key = true) const {
        std::string out;
        for (const Frame& f : stack_) {
            if (f.container->is_object()) {
                if (&f != &stack_.back() || (top_key && !f.key.empty())) out += "/" + escape(f.key);
            } else if (&f == &stack_.back()) {
                out += "/" + std::to_string(f.container->size());  // the element being read
            } else if (!f.container->empty()) {
                out += "/" + std::to_string(f.container->size() - 1);
            }
        }
        return out;
    }

  private:
    struct Frame {
        json* container;
        std::string key;  // objects: the key being read
    };
    json* place(json&& value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        Frame& frame = stack_.back();
        if (frame.container->is_array()) {
            frame.container->push_back(std::move(value));
            return &frame.container->back();
        }
        json& slot = (*frame.container)[frame.key];
        slot = std::move(value);
        return &slot;
    }
    template <class V>
    bool put(V&& v) {
        place(json(std::forward<V>(v)));
        if (!stack_.empty()) stack_.back().key.clear();  // the member is complete
        return true;
    }
    void close() {
        stack_.pop_back();
        if (!stack_.empty()) stack_.back().key.clear();
    }

    json& root_;
    std::vector<Frame> stack_;
    std::optional<std::pair<std::string, std::string>> duplicate_;
    std::optional<std::string> error_;
    std::size_t error_position_ = 0;
};

/// 1-based line and column of a byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;  // count characters, not UTF-8 continuation bytes
        }
    }
    return {line, column};
}

}  // namespace

std::string type_name(const json& value) {
    switch (value.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number";
        default: return "an unsupported value";
    }
}

std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

json parse_strict(std::string_view text, std::string_view source) {
    json document;
    StrictBuilder builder(document);
    const bool ok = json::sax_parse(text, &builder, json::input_format_t::json, true, false);
    if (const auto& d = builder.duplicate())
        throw ParseError(std::string(source), 0, 0, d->first,
                         "duplicate key '" + d->second + "'; a key may appear once in an object");
    if (!ok || builder.error()) {
        // The position is the count of bytes read: the offending token ends there.
        const std::size_t position = builder.error_position();
        auto [line, column] = line_column(text, position == 0 ? 0 : position - 1);
        std::string what = builder.error().value_or("malformed JSON");
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        // Drop nlohmann's "parse error at line 1, column 2: " prefix: the place is given in our terms.
        if (auto p = what.find(": "); p != std::string::npos && what.rfind("parse error", 0) == 0)
            what = what.substr(p + 2);
        const std::string at = builder.pointer();
        throw ParseError(std::string(source), line, column, "",
                         "malformed JSON" + (at.empty() ? std::string() : " (in " + at + ")") + ": " + what +
                             "; fix the syntax at this place");
    }
    return document;
}

void check_format(const Reader& root, std::string_view format, std::string_view what,
                  long long newest_version) {
    if (!root.value().is_object())
        root.fail("expected a certigraph document (an object), found " + type_name(root.value()));
    // Identify the document before judging its keys.
    if (root["format"].string() != format)
        root["format"].fail("this is not a certigraph " + std::string(what) + "; `format` must be \"" +
                            std::string(format) + "\"");
    const long long version = root["format_version"].integer();
    if (version < 1) root["format_version"].fail("format_version must be a positive integer");
    if (version > newest_version)
        root["format_version"].fail("format_version " + std::to_string(version) +
                                    " is newer than this certigraph reads (up to " +
                                    std::to_string(newest_version) + "); upgrade certigraph");
}

}  // namespace certigraph::io::detail
