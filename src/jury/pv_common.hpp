// Private to the procès-verbal writers (pv_html.cpp, pv_table.cpp): the names and
// look-ups the HTML, CSV and JSON share, so that the three say the same thing.
#pragma once

#include <certigraph/jury/pv.hpp>  // deliberation.hpp, with what it needs first

#include <string>
#include <string_view>

namespace certigraph::jury::pv_detail {

/// The member with this id in the record's session, nullptr if none.
inline const Member* find_member(const Record& record, std::string_view id) noexcept {
    for (const auto& m : record.session.members)
        if (m.id == id) return &m;
    return nullptr;
}

/// Stable lower-case names for the CSV and JSON (as the session file spells them).
inline std::string_view verdict_name(Verdict verdict) noexcept {
    switch (verdict) {
        case Verdict::confirm: return "confirm";
        case Verdict::validate: return "validate";
        case Verdict::refuse: return "refuse";
    }
    return "unknown";
}

inline std::string_view role_name(Role role) noexcept {
    switch (role) {
        case Role::president: return "president";
        case Role::professional: return "professional";
        case Role::trainer: return "trainer";
        case Role::academic: return "academic";
        case Role::other: return "other";
    }
    return "unknown";
}

/// The seal as printed: "sha256 <hex>" (a "sha256:" prefix in the hash is not repeated).
inline std::string seal_text(std::string_view hash) {
    if (hash.starts_with("sha256:")) hash.remove_prefix(7);
    return "sha256 " + std::string(hash);
}

}  // namespace certigraph::jury::pv_detail
