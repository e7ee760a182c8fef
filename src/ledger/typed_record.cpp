// The packed typed record of schema 5 (`events.typed`, read through the index
// `events_typed` by Ledger::event_table()): docs/ledger.md, "Schema 5".
#include "ledger/store.hpp"

#include <array>

namespace certigraph::ledger::detail {

namespace {

enum Flag : std::uint8_t {
    has_bloc = 1,
    has_outcome = 2,
    has_name = 4,
    has_third_party = 8,  // and the framework
    has_start = 16,
    has_end = 32,
};

void put32(std::string& out, std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 24)};
    out.append(bytes, 4);
}

void put_text(std::string& out, std::string_view text) {
    put32(out, static_cast<std::uint32_t>(text.size()));
    out.append(text);
}

/// Reads what pack_typed() wrote, bounds-checked.
class TypedReader {
  public:
    explicit TypedReader(std::string_view bytes) : bytes_(bytes) {}
    bool byte(std::uint8_t& v) {
        if (at_ >= bytes_.size()) return false;
        v = static_cast<std::uint8_t>(bytes_[at_++]);
        return true;
    }
    bool u32(std::uint32_t& v) {
        if (bytes_.size() - at_ < 4) return false;
        const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + at_);
        v = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
        at_ += 4;
        return true;
    }
    bool i32(std::int32_t& v) {
        std::uint32_t u = 0;
        if (!u32(u)) return false;
        v = static_cast<std::int32_t>(u);
        return true;
    }
    bool text(std::string_view& v) {
        std::uint32_t n = 0;
        if (!u32(n) || bytes_.size() - at_ < n) return false;
        v = bytes_.substr(at_, n);
        at_ += n;
        return true;
    }
    bool done() const { return at_ == bytes_.size(); }

  private:
    std::string_view bytes_;
    std::size_t at_ = 0;
};

constexpr std::array<EventKind, 12> kinds_by_code{
    EventKind::bloc_result,          EventKind::vae_decision,    EventKind::bloc_credit,
    EventKind::jury_decision,        EventKind::language_certificate, EventKind::mobility_period,
    EventKind::work_period,          EventKind::attribute,       EventKind::path_start,
    EventKind::delivery_exception,   EventKind::certification_decision, EventKind::correction,
};

}  // namespace

std::uint8_t kind_code(EventKind kind) noexcept {
    for (std::size_t i = 0; i < kinds_by_code.size(); ++i)
        if (kinds_by_code[i] == kind) return static_cast<std::uint8_t>(i + 1);
    return 0;
}

void pack_typed(EventKind kind, std::int32_t day, const Columns& c, std::string& out) {
    out.clear();
    std::uint8_t flags = 0;
    if (!c.bloc.empty()) flags |= has_bloc;
    if (c.outcome >= 0) flags |= has_outcome;
    if (c.has_name) flags |= has_name;
    if (c.third_party >= 0) flags |= has_third_party;
    if (c.has_start) flags |= has_start;
    if (c.has_end) flags |= has_end;
    out.push_back(static_cast<char>(kind_code(kind)));
    out.push_back(static_cast<char>(flags));
    put32(out, static_cast<std::uint32_t>(day));
    if (flags & has_outcome) out.push_back(static_cast<char>(c.outcome));
    if (flags & has_third_party) out.push_back(static_cast<char>(c.third_party));
    if (flags & has_start) put32(out, static_cast<std::uint32_t>(c.start_day));
    if (flags & has_end) put32(out, static_cast<std::uint32_t>(c.end_day));
    if (flags & has_bloc) put_text(out, c.bloc);
    if (flags & has_name) {
        put_text(out, c.name);
        put_text(out, c.value);
    }
    if (flags & has_third_party) put_text(out, c.framework);
}

bool unpack_typed(std::string_view bytes, EventKind& kind, std::int32_t& day, Columns& c) {
    TypedReader in(bytes);
    std::uint8_t code = 0, flags = 0, outcome = 0, third_party = 0;
    if (!in.byte(code) || code == 0 || code > kinds_by_code.size() || !in.byte(flags) || flags >= 64 ||
        !in.i32(day))
        return false;
    kind = kinds_by_code[code - 1];
    c = Columns{};
    if (flags & has_outcome) {
        if (!in.byte(outcome) || outcome > 1) return false;
        c.outcome = outcome;
    }
    if (flags & has_third_party) {
        if (!in.byte(third_party) || third_party > 1) return false;
        c.third_party = third_party;
    }
    c.has_start = flags & has_start;
    c.has_end = flags & has_end;
    if (c.has_start && !in.i32(c.start_day)) return false;
    if (c.has_end && !in.i32(c.end_day)) return false;
    if ((flags & has_bloc) && (!in.text(c.bloc) || c.bloc.empty())) return false;
    c.has_name = flags & has_name;
    if (c.has_name && (!in.text(c.name) || !in.text(c.value))) return false;
    if ((flags & has_third_party) && !in.text(c.framework)) return false;
    return in.done();
}

}  // namespace certigraph::ledger::detail
