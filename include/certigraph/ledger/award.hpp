// Award records (the certificateur's declaration of what a candidate was awarded)
// and Open Badges 3.0 credentials for acquired blocs and awarded certifications
// (docs/ledger.md, "Award records and Open Badges").
#pragma once

#include <certigraph/date.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event.hpp>
#include <certigraph/referentiel/nodes.hpp>
#include <certigraph/referentiel/referentiel.hpp>

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace certigraph::ledger {

/// One acquired bloc of an award record.
struct AwardedBloc {
    std::string code{};           ///< e.g. "RNCP40514BC01"
    std::string title{};          ///< the bloc's title in the référentiel
    Date acquired{1970, 1, 1};    ///< date of the acquiring event
    Route route = Route::exam;    ///< exam, vae, correspondence or jury_decision
    EventId event = 0;            ///< the acquiring event (a correction when corrected)
    EventId corrects = 0;         ///< when `event` is a correction: the event it superseded
    /// Session (exam session or jury id) of the acquiring event; empty unless the events
    /// were given to award_record(). For a corrected event, the superseded event's session.
    std::string session{};
    friend bool operator==(const AwardedBloc&, const AwardedBloc&) = default;
};

/// Who the record is about: the candidate id and, when recorded as `attribute` events
/// named `family_name`, `given_names` and `birth_date`, their values as recorded (never
/// guessed; absent when not recorded).
struct Holder {
    std::string candidate{};
    std::optional<std::string> family_name{};
    std::optional<std::string> given_names{};
    std::optional<std::string> birth_date{};  ///< as recorded, normally YYYY-MM-DD
    friend bool operator==(const Holder&, const Holder&) = default;
};

/// What a certificateur declares for one candidate after a decision (the
/// "accrochage certificateur" to the Caisse des Dépôts, within three months of
/// delivery): the fiche, the holder, the decision date and the acquired blocs.
///
/// When the state holds a certification decision (a `certification_decision` event in
/// force), the record rests on it: `award_date` is its date, `certified` its
/// `awarded`, `decision`/`jury_session` name it, and `blocs` are those acquired on or
/// before its date; asked again at a later date, the record and the certification's
/// credential are the same. Without a decision, `certified` is true when the candidate
/// is eligible as of the date asked. A record that is not `certified` is an attestation
/// of the acquired blocs only (a partial outcome), and `blocs` may be empty.
struct AwardRecord {
    std::string fiche{};                   ///< e.g. "RNCP40514"
    std::string title{};                   ///< the certification's title
    int level = 0;                         ///< qualification level 1..8; 0 when unknown
    std::vector<Certifier> certifiers{};   ///< the fiche's certificateurs, in référentiel order
    Holder holder{};
    Date award_date{1970, 1, 1};           ///< the decision's date, else Eligibility::as_of
    bool certified = false;
    EventId decision = 0;                  ///< the certification_decision it rests on (0: none)
    std::string jury_session{};            ///< that decision's jury session
    std::vector<AwardedBloc> blocs{};      ///< acquired blocs, in référentiel order
    /// The hash at the head of the candidate's ledger chain when the record was made
    /// (Ledger::head); empty unless the caller sets it. Publishing it anchors the chain.
    std::string ledger_head{};
    /// The ledger checkpoint the record rests on (checkpoint_reference: origin, size,
    /// root, time; "(unsigned)" when it is the ledger's own unsigned state); empty
    /// unless the caller sets it.
    std::string checkpoint{};
    friend bool operator==(const AwardRecord&, const AwardRecord&) = default;
};

/// The award record of an eligibility answer: every référentiel bloc acquired in
/// `eligibility.state` (blocs the référentiel does not know are left out), the holder's
/// identity attributes that are recorded, and `certified = eligibility.eligible` —
/// or, when `eligibility.state.certification` holds a decision, as that decision says
/// (see AwardRecord).
/// When `events` (the candidate's ledger events) are given, each bloc's `session` is
/// filled from its acquiring event.
AwardRecord award_record(const Referentiel& referentiel, const Eligibility& eligibility,
                         std::span<const Event> events = {});

/// CSV (RFC 4180: fields quoted when they hold a comma, a quote or a line break), one
/// row per record and acquired bloc (a record without bloc gives one row with empty
/// bloc columns), with this header:
///
/// `fiche,certification_title,level,certifier_sirets,certifier_names,candidate,
/// family_name,given_names,birth_date,award_date,certified,bloc,bloc_title,acquired,
/// route,event,corrects,session,ledger_head,checkpoint,decision,jury_session`
///
/// (one line). Several certifiers are joined with ";" (SIRETs) and " ; " (names); dates
/// are YYYY-MM-DD; `certified` is true/false; `event`/`corrects` are ledger event ids
/// (corrects and decision empty when 0).
/// Fields are written with the formula guard of io::CsvOptions unless `csv` turns it off.
void write_award_records_csv(std::ostream& out, std::span<const AwardRecord> records,
                             const io::CsvOptions& csv = {});

/// The record as JSON (keys sorted, 2-space indent, no trailing newline):
/// `{format: "certigraph/award", format_version: 2, certification{code, title, level,
/// certifiers[{name, siret}]}, holder{candidate, family_name?, given_names?,
/// birth_date?}, award_date, certified, decision?, jury_session?, blocs[{code, title,
/// acquired, route, event, corrects?, session?}], ledger_head?, checkpoint?}`
/// (version 2 added decision and jury_session).
std::string award_record_json(const AwardRecord& record);

/// How the Open Badges credentials name their issuer and achievements.
struct BadgeOptions {
    /// The issuer Profile's id, a URI. Empty: "urn:siret:<SIRET>" of the first
    /// certifier. A certificateur should set the https URL of its own issuer profile,
    /// the one its verification method (signing key) is published under.
    std::string issuer_id{};
    /// The issuer's name. Empty: the first certifier's name.
    std::string issuer_name{};
    /// Achievement ids are `<achievement_base_url>/<code>` (a trailing "/" is dropped).
    /// Empty: "urn:certigraph:achievement:<code>".
    std::string achievement_base_url{};
    /// Salt of the holder's hashed identifier: identityHash is
    /// "sha256$" + hex SHA-256 of (candidate id + salt). Published in the credential
    /// (field "salt") when non-empty, so that whoever knows the candidate id can check it.
    std::string subject_salt{};
};

/// An unsigned OpenBadgeCredential (Open Badges 3.0, W3C VC 2.0) stating that the
/// record's holder acquired the bloc `bloc_code` (achievementType "Competency"),
/// valid from the acquisition date. No `proof`: the certificateur's signing step adds
/// a DataIntegrityProof (eddsa-rdfc-2022). The credential id is a name-based UUID
/// (RFC 9562 version 8, SHA-256) of the fiche, candidate, bloc and date, so the same
/// inputs give byte-identical text. JSON keys sorted, 2-space indent.
/// @throws Error if the bloc is not among the record's acquired blocs, or if no issuer
/// id can be derived (no option given and the first certifier has no SIRET).
std::string bloc_credential_json(const Referentiel& referentiel, const AwardRecord& record,
                                 std::string_view bloc_code, const BadgeOptions& options = {});

/// The same for the whole certification (achievementType "Certification"), valid from
/// the award date. When the record rests on a decision, its id is a name-based UUID of
/// the fiche, candidate, award date and decision event id: the same decision gives the
/// same credential, a correction of it another one.
/// @throws Error if the record is not `certified` (a partial outcome gets bloc
/// credentials only), or as bloc_credential_json.
std::string certification_credential_json(const Referentiel& referentiel, const AwardRecord& record,
                                          const BadgeOptions& options = {});

/// A name-based UUID, RFC 9562 version 8: the first 16 bytes of
/// SHA-256(namespace UUID bytes || name) with the version and variant bits set, as
/// "xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx" (lower case). The namespace is certigraph's
/// fixed one (docs/ledger.md).
std::string name_based_uuid(std::string_view name);

}  // namespace certigraph::ledger
