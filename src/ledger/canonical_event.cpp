// The canonical text of an event, written and read by one description of its layout.
//
// The canonical text is nlohmann's dump of to_json(): keys in sorted order, no
// spaces. For events whose strings are plain — printable ASCII, where only '"' and
// '\\' are escaped, nearly every event — that text has a fixed layout, which
// `layout()` below spells out once per kind. `Writer` follows it to write the text
// without building a JSON tree (the recording's loop); `Reader` follows it to read
// the text back by comparing bytes (verify()'s loop, reading events back, JSON
// lines). The reader accepts only what the writer writes: whatever it reads is
// written again byte for byte, so verify() need not write it again — save the
// "hash" of `ledger export`'s lines, which only the line reader takes
// (tests/cpp/test_ledger_canonical.cpp and tests/fuzz/fuzz_canonical_event.cpp check
// it, and that the event readers read the same event). Anything else — other
// strings, an id beyond 10⁹, a correction's replacement when reading — makes both
// give up, and the callers take nlohmann and the event readers.
#include "ledger/event_json.hpp"

#include <certigraph/date.hpp>

#include <concepts>
#include <cstring>
#include <type_traits>
#include <variant>

namespace certigraph::ledger::detail {

namespace {

/// `T` is `Type`, const or not (the writer reads a const event, the reader fills one).
template <class T, class Type>
concept Is = std::same_as<std::remove_const_t<T>, Type>;

// The bodies, one per kind, keys in sorted order (to_json writes every key, empty or not).

template <class Io, Is<BlocResult> B>
bool layout(Io& io, B& b) {
    return io.mark(R"({"bloc":)") && io.text(b.bloc) && io.mark(R"(,"validated":)") && io.boolean(b.validated) &&
           io.mark("}");
}
template <class Io, Is<VaeDecision> V>
bool layout(Io& io, V& v) {
    return io.mark(R"({"acquired":)") && io.texts(v.acquired) && io.mark(R"(,"prescriptions":)") &&
           io.text(v.prescriptions) && io.mark(R"(,"refused":)") && io.texts(v.refused) && io.mark("}");
}
template <class Io, Is<BlocCredit> C>
bool layout(Io& io, C& c) {
    return io.mark(R"({"basis":)") && io.text(c.basis) && io.mark(R"(,"bloc":)") && io.text(c.bloc) &&
           io.mark(R"(,"from_blocs":)") && io.texts(c.from_blocs) && io.mark(R"(,"from_certification":)") &&
           io.text(c.from_certification) && io.mark(R"(,"from_validation":)") && io.text(c.from_validation) &&
           io.mark("}");
}
template <class Io, Is<JuryDecision> J>
bool layout(Io& io, J& j) {
    return io.mark(R"({"bloc":)") && io.text(j.bloc) && io.mark(R"(,"overrides_session":)") &&
           io.text(j.overrides_session) && io.mark(R"(,"reason":)") && io.text(j.reason) &&
           io.mark(R"(,"validated":)") && io.boolean(j.validated) && io.mark("}");
}
template <class Io, Is<LanguageCertificate> L>
bool layout(Io& io, L& l) {
    return io.mark(R"({"framework":)") && io.text(l.framework) && io.mark(R"(,"issued":)") && io.date(l.issued) &&
           io.mark(R"(,"issuer":)") && io.text(l.issuer) && io.mark(R"(,"language":)") && io.text(l.language) &&
           io.mark(R"(,"level":)") && io.text(l.level) && io.mark(R"(,"third_party":)") &&
           io.boolean(l.third_party) && io.mark("}");
}
template <class Io, class P>
    requires Is<P, MobilityPeriod> || Is<P, WorkPeriod>
bool layout(Io& io, P& p) {
    return io.mark(R"({"end":)") && io.date(p.end) && io.mark(R"(,"place":)") && io.text(p.place) &&
           io.mark(R"(,"start":)") && io.date(p.start) && io.mark("}");
}
template <class Io, Is<Attribute> A>
bool layout(Io& io, A& a) {
    return io.mark(R"({"name":)") && io.text(a.name) && io.mark(R"(,"value":)") && io.text(a.value) && io.mark("}");
}
template <class Io, Is<PathStart> P>
bool layout(Io& io, P& p) {
    return io.mark(R"({"access_route":)") && io.text(p.access_route) && io.mark("}");
}
template <class Io, Is<DeliveryException> X>
bool layout(Io& io, X& x) {
    return io.mark(R"({"basis":)") && io.text(x.basis) && io.mark(R"(,"reason":)") && io.text(x.reason) &&
           io.mark("}");
}
template <class Io, Is<CertificationDecision> D>
bool layout(Io& io, D& d) {
    return io.mark(R"({"awarded":)") && io.boolean(d.awarded) && io.mark(R"(,"eligible":)") &&
           io.boolean(d.eligible) && io.mark(R"(,"missing":)") && io.texts(d.missing) && io.mark(R"(,"reason":)") &&
           io.text(d.reason) && io.mark("}");
}
template <class Io, Is<Correction> C>
bool layout(Io& io, C& c) {
    return io.mark(R"({"reason":)") && io.text(c.reason) && io.mark(R"(,"replacement":)") &&
           io.replacement(c.replacement) && io.mark(R"(,"supersedes":)") && io.number(c.supersedes) &&
           io.mark("}");
}

/// The whole event: its body (of the kind the body holds), then the header, keys in
/// sorted order; "id" when not 0, "seq" when not 0 (and, read from `ledger export`'s
/// lines only, its "hash").
template <class Io, Is<Event> E>
bool layout(Io& io, E& e, std::conditional_t<std::is_const_v<E>, const std::uint64_t, std::uint64_t>& seq) {
    return io.mark(R"({"body":)") && std::visit([&](auto& body) { return layout(io, body); }, e.body) &&
           io.mark(R"(,"candidate":)") && io.text(e.candidate) && io.mark(R"(,"date":)") && io.date(e.date) &&
           io.mark(R"(,"evidence":)") && io.texts(e.evidence) && io.exported_hash() &&
           io.optional_number(R"(,"id":)", e.id) && io.mark(R"(,"kind":")") && io.mark(to_string(e.kind())) &&
           io.mark(R"(","policy_hash":)") && io.text(e.policy_hash) &&
           io.mark(R"(,"referentiel":{"content_hash":)") && io.text(e.referentiel.content_hash) &&
           io.mark(R"(,"fiche":)") && io.text(e.referentiel.fiche) && io.mark(R"(},"route":")") &&
           io.route(e.route) && io.mark("\"") && io.optional_number(R"(,"seq":)", seq) &&
           io.mark(R"(,"session":)") && io.text(e.session) && io.mark("}");
}

/// Writes the layout into a string (its capacity reused).
class Writer {
  public:
    explicit Writer(std::string& out) : out_(out) { out_.clear(); }

    bool mark(std::string_view s) {
        out_ += s;
        return true;
    }
    /// A plain string: printable ASCII, '"' and '\\' escaped as nlohmann does; false
    /// for anything else (control characters, UTF-8: nlohmann's own escaping and checks).
    bool text(std::string_view s) {
        out_ += '"';
        std::size_t start = 0;  // runs without anything to escape are appended whole
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto u = static_cast<unsigned char>(s[i]);
            if (u < 0x20 || u >= 0x7F) return false;
            if (u == '"' || u == '\\') {
                out_.append(s.data() + start, i - start);
                out_ += '\\';
                start = i;
            }
        }
        out_.append(s.data() + start, s.size() - start);
        out_ += '"';
        return true;
    }
    bool texts(const std::vector<std::string>& list) {
        out_ += '[';
        for (std::size_t i = 0; i < list.size(); ++i)
            if ((i && !mark(",")) || !text(list[i])) return false;
        out_ += ']';
        return true;
    }
    bool boolean(bool b) { return mark(b ? "true" : "false"); }
    bool date(const Date& d) {
        out_ += '"';
        out_ += d.to_string();
        out_ += '"';
        return true;
    }
    bool number(std::uint64_t n) { return mark(std::to_string(n)); }
    bool optional_number(std::string_view key, std::uint64_t n) { return n == 0 || (mark(key) && number(n)); }
    bool route(Route r) { return mark(to_string(r)); }
    bool exported_hash() { return true; }  // the canonical text has none
    bool replacement(const std::optional<Fact>& fact) {
        if (!fact) return mark("null");
        return mark(R"({"body":)") && std::visit([&](const auto& body) { return layout(*this, body); }, *fact) &&
               mark(R"(,"kind":")") && mark(to_string(kind_of(*fact))) && mark("\"}");
    }

  private:
    std::string& out_;
};

/// Reads the layout from a text, comparing its bytes; false at the first that does not fit.
class Reader {
  public:
    /// `lines`: a line of `ledger export` may also hold its row's "hash" (then the
    /// text is no longer the canonical one, but still read as the event readers read it).
    explicit Reader(std::string_view text, bool lines = false) : text_(text), lines_(lines) {}

    bool at_end() const { return at_ == text_.size(); }

    /// The literal's size is known here: the comparison is inlined, not a call.
    template <std::size_t N>
    bool mark(const char (&expected)[N]) {
        constexpr std::size_t size = N - 1;
        if (text_.size() - at_ < size || std::memcmp(text_.data() + at_, expected, size) != 0) return false;
        at_ += size;
        return true;
    }
    bool mark(std::string_view expected) {
        if (text_.size() - at_ < expected.size() || std::memcmp(text_.data() + at_, expected.data(), expected.size()))
            return false;
        at_ += expected.size();
        return true;
    }
    /// A JSON string of printable ASCII, escaping only '"' and '\\' (the writer's plain strings).
    bool text(std::string& out) {
        if (!mark("\"")) return false;
        out.clear();
        // The common case: no escape before the closing quote. The run is checked in
        // one branch-free pass (vectorised) and taken whole.
        const char* begin = text_.data() + at_;
        if (const auto* quote = static_cast<const char*>(std::memchr(begin, '"', text_.size() - at_))) {
            bool plain = true;
            for (const char* p = begin; p != quote; ++p) {
                const auto u = static_cast<unsigned char>(*p);
                plain &= (u >= 0x20) & (u < 0x7F) & (u != '\\');
            }
            if (plain) {
                out.assign(begin, quote);
                at_ = static_cast<std::size_t>(quote - text_.data()) + 1;
                return true;
            }
        }
        while (true) {  // a run of plain characters, then what ends it
            const std::size_t start = at_;
            while (at_ < text_.size()) {
                const auto u = static_cast<unsigned char>(text_[at_]);
                if (u < 0x20 || u >= 0x7F || u == '"' || u == '\\') break;
                ++at_;
            }
            out.append(text_.data() + start, at_ - start);
            if (at_ == text_.size()) return false;
            const char c = text_[at_++];
            if (c == '"') return true;
            if (c != '\\' || at_ == text_.size() || (text_[at_] != '"' && text_[at_] != '\\')) return false;
            out += text_[at_++];
        }
    }
    bool texts(std::vector<std::string>& list) {
        if (!mark("[")) return false;
        std::size_t n = 0;
        while (!mark("]")) {
            if (n && !mark(",")) return false;
            if (list.size() <= n) list.emplace_back();
            if (!text(list[n++])) return false;
        }
        list.resize(n);
        return true;
    }
    bool boolean(bool& b) {
        if (mark("true")) return b = true;
        b = false;
        return mark("false");
    }
    /// "YYYY-MM-DD" as Date writes it: a real date, four-digit year.
    bool date(Date& d) {
        if (!mark("\"") || text_.size() - at_ < 11 || text_[at_ + 10] != '"') return false;
        const std::string_view s = text_.substr(at_, 10);
        const auto read = Date::parse(s);
        if (!read || read->to_string() != s) return false;
        d = *read;
        at_ += 11;
        return true;
    }
    /// A positive integer ≤ 10⁹ (the event readers' limit), no leading zero.
    bool number(std::uint64_t& out) {
        std::size_t digits = 0;
        out = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9' && digits < 10) {
            out = out * 10 + static_cast<std::uint64_t>(text_[at_++] - '0');
            ++digits;
        }
        return digits > 0 && text_[at_ - digits] != '0' && out <= 1'000'000'000;
    }
    bool optional_number(std::string_view key, std::uint64_t& n) {
        n = 0;
        return !mark(key) || number(n);
    }
    bool route(Route& r) {
        const std::size_t quote = text_.find('"', at_);
        if (quote == std::string_view::npos) return false;
        const auto read = route_from_string(text_.substr(at_, quote - at_));
        if (!read) return false;
        r = *read;
        at_ = quote;
        return true;
    }
    bool exported_hash() {
        if (!lines_ || !mark(R"(,"hash":)")) return true;
        return text(hash_);
    }
    /// Only "none": a replacement's kind follows its body, which could not be read
    /// without it (corrections are rare: the event readers take them).
    bool replacement(std::optional<Fact>& fact) {
        fact.reset();
        return mark("null");
    }

  private:
    std::string_view text_;
    std::size_t at_ = 0;
    bool lines_ = false;
    std::string hash_;  // read, not kept (the event readers keep it apart from the event)
};

/// `body` holds a default value of `kind`, unless it holds that kind already (its
/// strings' capacity is then reused).
void make_kind(Event::Body& body, EventKind kind) {
    if (static_cast<EventKind>(body.index()) == kind) return;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((static_cast<std::size_t>(kind) == I ? (void)body.emplace<I>() : void()), ...);
    }(std::make_index_sequence<std::variant_size_v<Event::Body>>{});
}

}  // namespace

bool write_canonical(const Event& event, std::uint64_t seq, std::string& out) {
    Writer writer(out);
    return layout(writer, event, seq);
}

bool read_canonical(std::string_view text, EventKind kind, Event& event, std::uint64_t& seq) {
    if (static_cast<std::size_t>(kind) >= std::variant_size_v<Event::Body>) return false;
    make_kind(event.body, kind);
    Reader reader(text);
    return layout(reader, event, seq) && reader.at_end();
}

bool read_canonical_line(std::string_view line, Event& event) {
    // The kind: the last "kind" member's. ,"kind":" cannot occur inside a string (a
    // quote there is escaped), so it is the event's own, after its body (whose
    // correction replacement may hold an earlier one). A wrong guess only fails the read.
    constexpr std::string_view key = R"(,"kind":")";
    const std::size_t at = line.rfind(key);
    if (at == std::string_view::npos) return false;
    const std::size_t start = at + key.size(), quote = line.find('"', start);
    if (quote == std::string_view::npos) return false;
    const auto kind = event_kind_from_string(line.substr(start, quote - start));
    if (!kind) return false;
    make_kind(event.body, *kind);
    Reader reader(line, true);
    std::uint64_t seq = 0;
    return layout(reader, event, seq) && reader.at_end();
}

}  // namespace certigraph::ledger::detail
