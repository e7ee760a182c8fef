#include "io/json_reader.hpp"

#include <functional>
#include <set>

namespace certigraph::io::detail {

namespace {

/// Watches a parse for keys repeated in one object (nlohmann keeps the last one
/// silently) and remembers the JSON pointer of the first repetition.
class DuplicateKeyFinder {
  public:
    bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        switch (event) {
            case E::object_start:
                start_element();
                frames_.push_back({true, {}, {}, 0});
                break;
            case E::array_start:
                start_element();
                frames_.push_back({false, {}, {}, 0});
                break;
            case E::object_end:
            case E::array_end: frames_.pop_back(); break;
            case E::key: {
                Frame& frame = frames_.back();
                frame.key = parsed.get<std::string>();
                if (!frame.keys.insert(frame.key).second && !duplicate_) {
                    std::string pointer;
                    for (std::size_t i = 0; i + 1 < frames_.size(); ++i)
                        pointer += "/" + (frames_[i].object ? escape(frames_[i].key)
                                                            : std::to_string(frames_[i].started - 1));
                    duplicate_ = std::pair{pointer + "/" + escape(frame.key), frame.key};
                }
                break;
            }
            case E::value:  // a scalar (containers announce themselves with *_start)
                start_element();
                break;
        }
        return true;
    }
    /// (pointer, key) of the first repeated key, if any.
    const std::optional<std::pair<std::string, std::string>>& duplicate() const { return duplicate_; }

  private:
    struct Frame {
        bool object;
        std::set<std::string> keys;
        std::string key;      // objects: the key being read
        std::size_t started;  // arrays: elements begun so far
    };
    void start_element() {
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().started;
    }
    std::vector<Frame> frames_;
    std::optional<std::pair<std::string, std::string>> duplicate_;
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
    DuplicateKeyFinder duplicates;
    try {
        document = json::parse(text, std::ref(duplicates));
    } catch (const json::parse_error& e) {
        // e.byte is the 1-based offset of the last byte read.
        auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string what = e.what();
        if (auto p = what.find(": "); p != std::string::npos) {
            // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2"
            // prefix: the place is given in our own terms.
            what = what.substr(p + 2);
        }
        throw ParseError(std::string(source), line, column, "",
                         "malformed JSON: " + what + "; fix the syntax at this place");
    } catch (const json::exception& e) {
        // e.g. a number too large for a double (found by fuzzing): no position is known.
        std::string what = e.what();
        if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
        throw ParseError(std::string(source), 0, 0, "", "malformed JSON: " + what);
    }

    if (const auto& d = duplicates.duplicate())
        throw ParseError(std::string(source), 0, 0, d->first,
                         "duplicate key '" + d->second + "'; a key may appear once in an object");
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
