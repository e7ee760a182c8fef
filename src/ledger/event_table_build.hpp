// Private: fills an EventTable candidate by candidate (from events in memory, from
// the ledger's typed columns).
#pragma once

#include <certigraph/ledger/event_table.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace certigraph::ledger::detail {

class TableBuilder {
  public:
    EventTable table;
    /// Candidates (indexes) whose full events must go into table.objects.
    std::vector<std::uint32_t> needs_objects;

    void reserve(std::size_t rows);
    /// Candidates must come in sorted order, each once.
    void begin_candidate(std::string_view candidate);
    /// A row with neutral typed columns, to be filled by the caller.
    void row(EventKind kind, std::int32_t day);
    /// A row from an event.
    void add(const Event& e);
    /// The code of a text (0 for "").
    std::uint32_t code(std::string_view text);
    EventTable finish();

    /// Whether rows begin .. end - 1 (one candidate's) hold two values of one attribute
    /// on one day.
    static bool attribute_conflict(const EventTable& t, std::uint32_t begin, std::uint32_t end);
    /// Whether the columns do not describe an event of this kind.
    static bool needs_object(EventKind kind) noexcept;

  private:
    void end_candidate();
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> codes_;
    bool needs_objects_ = false;
};

}  // namespace certigraph::ledger::detail
