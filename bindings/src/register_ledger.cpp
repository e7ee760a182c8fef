// The capitalisation ledger, the state as of a date and eligibility. Events cross the
// boundary as JSON text in the form of docs/ledger.md (canonical_json /
// event_from_json); the Python layer (__init__.py) turns it into dicts. Store calls,
// parsing and eligibility run with the GIL released.
#include "pybind11.hpp"

#include <certigraph/certigraph.hpp>
#include <certigraph/ledger/checkpoint.hpp>
#include <certigraph/ledger/eligibility.hpp>
#include <certigraph/ledger/event_table.hpp>
#include <certigraph/ledger/ledger.hpp>
#include <certigraph/ledger/state.hpp>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

namespace certigraph::python {

namespace {

using namespace certigraph::ledger;

/// A Ledger shared with Python. The C++ Ledger is not thread-safe and its calls run
/// without the GIL, so a mutex serialises them; close() drops the SQLite connection.
struct PyLedger {
    std::optional<Ledger> ledger;
    std::string path;
    std::mutex mutex;

    /// Runs f(ledger) with the GIL released and the ledger locked (GIL first, then the
    /// mutex: a thread waiting for the mutex never holds the GIL).
    template <class F>
    auto locked(F&& f) {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> guard(mutex);
        if (!ledger) throw LedgerError("the ledger " + path + " is closed");
        return f(*ledger);
    }
};

/// An EligibilityTable as numpy columns: candidate (list of str), eligible (bool),
/// problems (uint32), finding (uint8 codes, candidates x checks), have (float64, the
/// same shape), and the checks' kinds and subjects.
py::dict table_columns(const EligibilityTable& t) {
    const auto n = static_cast<py::ssize_t>(t.candidates.size());
    const auto width = static_cast<py::ssize_t>(t.checks());
    py::array_t<bool> eligible(n);
    std::copy(t.eligible.begin(), t.eligible.end(), eligible.mutable_data());
    py::array_t<std::uint32_t> problems(n);
    std::copy(t.problems.begin(), t.problems.end(), problems.mutable_data());
    py::array_t<std::uint8_t> finding({n, width});
    std::transform(t.findings.begin(), t.findings.end(), finding.mutable_data(),
                   [](Finding f) { return static_cast<std::uint8_t>(f); });
    py::array_t<double> have({n, width});
    std::copy(t.have.begin(), t.have.end(), have.mutable_data());
    py::list kinds, subjects;
    for (std::size_t c = 0; c < t.checks(); ++c) {
        kinds.append(std::string(to_string(t.check_kinds[c])));
        subjects.append(t.check_subjects[c]);
    }
    py::list candidates(n);
    for (py::ssize_t k = 0; k < n; ++k) candidates[static_cast<std::size_t>(k)] = py::str(t.candidates[static_cast<std::size_t>(k)]);
    return py::dict("candidate"_a = candidates, "eligible"_a = eligible, "problems"_a = problems,
                    "finding"_a = finding, "have"_a = have, "check_kind"_a = kinds, "check_subject"_a = subjects,
                    "as_of"_a = t.as_of.to_string());
}

Date parse_date(const std::string& text, const char* what) {
    if (auto d = Date::parse(text)) return *d;
    throw py::value_error(std::string(what) + ": '" + text + "' is not a date YYYY-MM-DD");
}

py::object date_or_none(const std::optional<Date>& d) {
    return d ? py::object(py::str(d->to_string())) : py::none();
}

/// Reads events from JSON texts (no GIL needed). A text that does not read, or with
/// `check` an event that fails check_event, raises InvalidEvent naming its index in
/// the batch and the field, as Ledger::append does.
std::vector<Event> parse_events(const std::vector<std::string>& texts, bool check) {
    std::vector<Event> events;
    events.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        try {
            events.push_back(event_from_json(texts[i], "event " + std::to_string(i)));
        } catch (const ParseError& e) {
            std::string field = e.pointer().empty() ? std::string() : e.pointer().substr(1);
            std::string problem = e.problem();
            // "missing required key 'x'" is reported at the parent: name the key itself.
            const std::string missing = "missing required key '";
            if (problem.rfind(missing, 0) == 0 && problem.size() > missing.size() + 1) {
                const std::string key = problem.substr(missing.size(), problem.size() - missing.size() - 1);
                field = field.empty() ? key : field + "/" + key;
                problem = "missing";
            }
            throw InvalidEvent(i, field, problem);
        }
        if (check) {
            const auto problems = check_event(events.back());
            if (!problems.empty()) throw InvalidEvent(i, problems.front().field, problems.front().problem);
        }
    }
    return events;
}

/// The events as one JSON array text (cheaper to hand to json.loads than one text each).
std::string events_array(const std::vector<Event>& events) {
    std::string out = "[";
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i) out += ',';
        out += canonical_json(events[i]);
    }
    out += ']';
    return out;
}

py::dict state_to_python(const CapitalisationState& s) {
    py::dict blocs;
    for (const auto& [code, b] : s.blocs) {
        py::dict d;
        d["acquired"] = b.acquired;
        d["since"] = date_or_none(b.since);
        d["route"] = b.route ? py::object(py::str(std::string(to_string(*b.route)))) : py::none();
        d["event"] = b.event ? py::object(py::int_(b.event)) : py::none();
        d["corrects"] = b.corrects ? py::object(py::int_(b.corrects)) : py::none();
        d["refusals"] = b.refusals;
        d["last_refused"] = date_or_none(b.last_refused);
        blocs[py::str(code)] = d;
    }
    py::list languages;
    for (const auto& held : s.languages) {
        const auto& c = held.certificate;
        languages.append(py::dict("language"_a = c.language, "framework"_a = c.framework, "level"_a = c.level,
                                  "issuer"_a = c.issuer, "third_party"_a = c.third_party,
                                  "issued"_a = c.issued.to_string(), "event"_a = held.event));
    }
    py::list exceptions;
    for (const auto& held : s.exceptions)
        exceptions.append(py::dict("basis"_a = held.exception.basis, "reason"_a = held.exception.reason,
                                   "date"_a = held.date.to_string(), "event"_a = held.event));
    py::dict d;
    d["as_of"] = s.as_of.to_string();
    d["blocs"] = blocs;
    d["languages"] = languages;
    d["mobility_days"] = s.mobility_days;
    d["mobility_weeks"] = s.mobility_weeks;
    d["work_days"] = s.work_days;
    d["work_months"] = s.work_months;
    d["work_longest_months"] = s.work_longest_months;
    d["path_started"] = date_or_none(s.path_started);
    d["path_access_route"] = s.path_access_route;
    d["path_event"] = s.path_event ? py::object(py::int_(s.path_event)) : py::none();
    d["exceptions"] = exceptions;
    d["first_event"] = date_or_none(s.first_event);
    d["attributes"] = s.attributes;
    d["problems"] = s.problems;
    if (const auto& c = s.certification)
        d["certification"] = py::dict("awarded"_a = c->decision.awarded, "eligible"_a = c->decision.eligible,
                                      "missing"_a = c->decision.missing, "reason"_a = c->decision.reason,
                                      "date"_a = c->date.to_string(), "session"_a = c->session,
                                      "route"_a = std::string(to_string(c->route)), "event"_a = c->event,
                                      "corrects"_a = c->corrects ? py::object(py::int_(c->corrects)) : py::none());
    else
        d["certification"] = py::none();
    return d;
}

/// Eligibility answers with the référentiel their sentences need.
struct EligibilityResult {
    Referentiel referentiel;
    Date as_of;
    std::vector<Eligibility> answers;  // sorted by candidate

    const Eligibility& find(const std::string& candidate) const {
        const auto it = std::lower_bound(answers.begin(), answers.end(), candidate,
                                         [](const Eligibility& a, const std::string& c) { return a.candidate < c; });
        if (it == answers.end() || it->candidate != candidate)
            throw NotFound("no eligibility answer for candidate '" + candidate + "'");
        return *it;
    }
};

std::shared_ptr<EligibilityResult> decide(const Referentiel& ref, const std::vector<Event>& events, Date as_of,
                                          const std::optional<std::string>& candidate, unsigned threads) {
    auto out = std::make_shared<EligibilityResult>(EligibilityResult{ref, as_of, {}});
    if (candidate) {
        std::vector<Event> mine;
        for (const auto& e : events)
            if (e.candidate == *candidate) mine.push_back(e);
        out->answers.push_back(eligibility(ref, state_as_of(mine, as_of), *candidate));
    } else {
        out->answers = eligibility_of_all(ref, events, as_of, threads);
    }
    return out;
}

py::dict check_to_python(const Check& c, const Referentiel& ref) {
    py::dict d;
    d["kind"] = std::string(to_string(c.kind));
    d["subject"] = c.subject;
    d["required"] = c.required;
    d["met"] = c.met;
    d["finding"] = std::string(to_string(c.finding));
    d["reason"] = explain(c, ref);
    d["missing"] = missing(c, ref);
    d["have"] = c.have;
    d["need"] = c.need;
    d["date"] = date_or_none(c.date);
    d["event"] = c.event ? py::object(py::int_(c.event)) : py::none();
    d["detail"] = c.detail;
    return d;
}

/// The missing items of an answer, in check order.
std::vector<std::string> missing_of(const Eligibility& a, const Referentiel& ref) {
    std::vector<std::string> out;
    for (const auto& c : a.checks)
        if (auto m = missing(c, ref); !m.empty()) out.push_back(std::move(m));
    return out;
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
    py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

py::list to_list(std::vector<std::string>& v) {
    py::list out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = py::str(v[i]);
    return out;
}

}  // namespace

void register_ledger(py::module_& m) {
    py::class_<PyLedger, std::shared_ptr<PyLedger>>(m, "Ledger", R"pbdoc(
The capitalisation ledger: an append-only, hash-chained SQLite file of events
(docs/ledger.md). Open one with Ledger.open(path) (create=True makes a new one);
use it as a context manager to
close it. Events are dicts in the JSON form of docs/ledger.md. Safe to share between
Python threads (calls are serialised); long calls release the GIL.
)pbdoc")
        .def_static("open", [](const std::filesystem::path& path, bool create) {
            auto out = std::make_shared<PyLedger>();
            out->path = path.string();
            py::gil_scoped_release release;
            out->ledger.emplace(create ? Ledger::create(path) : Ledger::open(path));
            return out;
        }, "path"_a, "create"_a = false, R"pbdoc(
Opens an existing ledger file and applies pending migrations. A file that is not a
certigraph ledger (missing, empty, another application's SQLite, truncated) is
refused without being modified. With create=True, a missing (or empty) file becomes
a new ledger, as `certigraph ledger init` does.

Raises
------
NotALedgerError, LedgerError
)pbdoc")
        .def_property_readonly("id", [](PyLedger& l) {
            return l.locked([](Ledger& ledger) { return ledger.id(); });
        }, "The ledger's id (32 hex digits); its checkpoints' origin is 'certigraph.ledger/<id>'.")
        .def("vacuum", [](PyLedger& l) { l.locked([](Ledger& ledger) { ledger.vacuum(); }); }, R"pbdoc(
Rewrites the file compactly with 64 KiB pages (SQLite's VACUUM), as `certigraph
ledger vacuum` does: the free pages a migration left are given back, and an older
file gets the page size new ledgers have. Events, hashes, the Merkle tree and the
ledger's id are the same after it.

Raises
------
LedgerError
    if another connection is reading the file (nothing is changed).
)pbdoc")
        .def("checkpoint", [](PyLedger& l, const std::filesystem::path& key, const std::string& key_name) {
            return l.locked([&](Ledger& ledger) { return sign_checkpoint(ledger.checkpoint(), key, key_name); });
        }, "key"_a, "key_name"_a = "certigraph", R"pbdoc(
A signed checkpoint (size, Merkle root, time) of the ledger as text, signed with the
Ed25519 private key in the PEM file `key` (docs/ledger.md, "Checkpoints").
)pbdoc")
        .def("_verify_checkpoint", [](PyLedger& l, const std::string& text, const std::filesystem::path& pubkey,
                                      const std::string& source) {
            const auto problems = l.locked([&](Ledger& ledger) {
                const Checkpoint c = read_checkpoint(text, pubkey, source);
                return ledger.verify(&c);
            });
            py::list out;
            for (const auto& p : problems) out.append(py::make_tuple(p.row, p.candidate, p.problem));
            return out;
        }, "text"_a, "pubkey"_a, "source"_a)
        .def("_append_json", [](PyLedger& l, const std::vector<std::string>& texts) {
            return l.locked([&](Ledger& ledger) {
                const std::vector<Event> events = parse_events(texts, false);  // append checks them
                return ledger.append(std::span<const Event>(events));
            });
        }, "texts"_a)
        .def("_events_json", [](PyLedger& l, const std::optional<std::string>& candidate) {
            return l.locked([&](Ledger& ledger) {
                return events_array(candidate ? ledger.events(*candidate) : ledger.all_events());
            });
        }, "candidate"_a = py::none())
        .def("candidates", [](PyLedger& l) { return l.locked([](Ledger& ledger) { return ledger.candidates(); }); },
             "The candidates that have events, sorted.")
        .def("__len__", [](PyLedger& l) { return l.locked([](Ledger& ledger) { return ledger.size(); }); })
        .def("head", [](PyLedger& l, const std::string& candidate) {
            return l.locked([&](Ledger& ledger) { return ledger.head(candidate); });
        }, "candidate"_a, "The SHA-256 (hex) at the head of a candidate's chain; '' if no events.")
        .def_property_readonly("version", [](PyLedger& l) {
            return l.locked([](Ledger& ledger) { return ledger.version(); });
        }, "The schema version of the file.")
        .def_property_readonly("path", [](const PyLedger& l) { return l.path; })
        .def_property_readonly("closed", [](PyLedger& l) {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> guard(l.mutex);
            return !l.ledger.has_value();
        })
        .def("close", [](PyLedger& l) {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> guard(l.mutex);
            l.ledger.reset();
        }, "Closes the SQLite connection; later calls raise LedgerError. Closing twice is fine.")
        .def("_verify", [](PyLedger& l) {
            const auto problems = l.locked([](Ledger& ledger) { return ledger.verify(); });
            py::list out;
            for (const auto& p : problems) out.append(py::make_tuple(p.row, p.candidate, p.problem));
            return out;
        })
        .def("_export_jsonl", [](PyLedger& l) {
            return l.locked([](Ledger& ledger) {
                std::ostringstream out;
                ledger.export_jsonl(out);
                return out.str();
            });
        })
        .def("_export_jsonl_file", [](PyLedger& l, const std::filesystem::path& path) {
            l.locked([&](Ledger& ledger) {
                std::ofstream out(path, std::ios::binary);
                if (!out) throw IoError(path.string() + ": cannot open for writing");
                ledger.export_jsonl(out);
                out.flush();
                if (!out) throw IoError(path.string() + ": write failed");
                return 0;
            });
        }, "path"_a)
        .def("_import_jsonl", [](PyLedger& l, const std::string& text, const std::string& source) {
            return l.locked([&](Ledger& ledger) {
                std::istringstream in(text);
                return ledger.import_jsonl(in, source);
            });
        }, "text"_a, "source"_a)
        .def("_import_jsonl_file", [](PyLedger& l, const std::filesystem::path& path) {
            return l.locked([&](Ledger& ledger) {
                std::ifstream in(path, std::ios::binary);
                if (!in) throw IoError(path.string() + ": cannot open for reading");
                return ledger.import_jsonl(in, path.string());
            });
        }, "path"_a)
        .def("__repr__", [](PyLedger& l) {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> guard(l.mutex);
            if (!l.ledger) return "<Ledger " + l.path + " (closed)>";
            return "<Ledger " + l.path + ": " + std::to_string(l.ledger->size()) + " events>";
        });

    m.def("_check_events_json", [](const std::vector<std::string>& texts) {
        py::gil_scoped_release release;
        parse_events(texts, true);
    }, "texts"_a);

    m.def("_state_as_of", [](const std::vector<std::string>& texts, const std::string& as_of) {
        const Date date = parse_date(as_of, "as_of");
        CapitalisationState state;
        {
            py::gil_scoped_release release;
            const std::vector<Event> events = parse_events(texts, true);
            state = state_as_of(events, date);
        }
        return state_to_python(state);
    }, "texts"_a, "as_of"_a);

    m.def("_state_as_of_ledger", [](PyLedger& l, const std::string& candidate, const std::string& as_of) {
        const Date date = parse_date(as_of, "as_of");
        const CapitalisationState state =
            l.locked([&](Ledger& ledger) { return state_as_of(ledger.events(candidate), date); });
        return state_to_python(state);
    }, "ledger"_a, "candidate"_a, "as_of"_a);

    // The fixed category sets of the frame's kind and finding columns, in enum order.
    m.def("_check_kinds", [] {
        std::vector<std::string> out;
        for (int k = 0; k <= static_cast<int>(CheckKind::ledger); ++k)
            out.emplace_back(to_string(static_cast<CheckKind>(k)));
        return out;
    });
    m.def("_findings", [] {
        std::vector<std::string> out;
        for (int f = 0; f <= static_cast<int>(Finding::ledger_problem); ++f)
            out.emplace_back(to_string(static_cast<Finding>(f)));
        return out;
    });

    py::class_<EligibilityResult, std::shared_ptr<EligibilityResult>>(m, "EligibilityResult", R"pbdoc(
Eligibility for the certification as of a date, one answer per candidate (sorted):
every check with its finding, reason and what is missing (docs/ledger.md). Frames:
to_frame() (one row per candidate and check) and summary() (one per candidate).
)pbdoc")
        .def_property_readonly("as_of", [](const EligibilityResult& r) { return r.as_of.to_string(); })
        .def_property_readonly("candidates", [](const EligibilityResult& r) {
            std::vector<std::string> out;
            for (const auto& a : r.answers) out.push_back(a.candidate);
            return out;
        }, "The candidates, sorted.")
        .def_property_readonly("eligible", [](const EligibilityResult& r) {
            std::vector<std::string> out;
            for (const auto& a : r.answers)
                if (a.eligible) out.push_back(a.candidate);
            return out;
        }, "The eligible candidates, sorted.")
        .def("__len__", [](const EligibilityResult& r) { return r.answers.size(); })
        .def("__contains__", [](const EligibilityResult& r, const std::string& candidate) {
            return std::binary_search(r.answers.begin(), r.answers.end(), candidate,
                                      [](const auto& a, const auto& b) {
                                          if constexpr (std::is_same_v<std::decay_t<decltype(a)>, std::string>)
                                              return a < b.candidate;
                                          else
                                              return a.candidate < b;
                                      });
        })
        .def("__getitem__", [](const EligibilityResult& r, const std::string& candidate) {
            const Eligibility& a = r.find(candidate);
            py::list checks;
            for (const auto& c : a.checks) checks.append(check_to_python(c, r.referentiel));
            return py::dict("candidate"_a = a.candidate, "as_of"_a = a.as_of.to_string(), "eligible"_a = a.eligible,
                            "missing"_a = missing_of(a, r.referentiel), "checks"_a = checks,
                            "state"_a = state_to_python(a.state));
        }, "candidate"_a, R"pbdoc(
One candidate's answer: a dict with candidate, as_of, eligible, missing (list of
sentences), checks (list of dicts: kind, subject, required, met, finding, reason,
missing, have, need, date, event, detail) and state (as state_as_of gives it).
Raises NotFoundError for a candidate without an answer.
)pbdoc")
        .def("_columns", [](const EligibilityResult& r) {
            std::size_t n = 0;
            for (const auto& a : r.answers) n += a.checks.size();
            std::vector<std::string> candidate, kind, subject, finding, reason, miss, date, detail;
            std::vector<bool> eligible_b, required_b, met_b;
            std::vector<double> have, need;
            std::vector<std::int64_t> event;
            {
                py::gil_scoped_release release;
                for (auto* v : {&candidate, &kind, &subject, &finding, &reason, &miss, &date, &detail}) v->reserve(n);
                for (const auto& a : r.answers)
                    for (const auto& c : a.checks) {
                        candidate.push_back(a.candidate);
                        eligible_b.push_back(a.eligible);
                        kind.emplace_back(to_string(c.kind));
                        subject.push_back(c.subject);
                        required_b.push_back(c.required);
                        met_b.push_back(c.met);
                        finding.emplace_back(to_string(c.finding));
                        reason.push_back(explain(c, r.referentiel));
                        miss.push_back(missing(c, r.referentiel));
                        have.push_back(c.have);
                        need.push_back(c.need);
                        date.push_back(c.date ? c.date->to_string() : std::string());
                        event.push_back(static_cast<std::int64_t>(c.event));
                        detail.push_back(c.detail);
                    }
            }
            auto bools = [](const std::vector<bool>& v) {
                py::array_t<bool> out(static_cast<py::ssize_t>(v.size()));
                bool* p = out.mutable_data();
                for (std::size_t i = 0; i < v.size(); ++i) p[i] = v[i];
                return out;
            };
            py::dict d;
            d["candidate"] = to_list(candidate);
            d["eligible"] = bools(eligible_b);
            d["kind"] = to_list(kind);
            d["subject"] = to_list(subject);
            d["required"] = bools(required_b);
            d["met"] = bools(met_b);
            d["finding"] = to_list(finding);
            d["reason"] = to_list(reason);
            d["missing"] = to_list(miss);
            d["have"] = to_array(have);
            d["need"] = to_array(need);
            d["date"] = to_list(date);
            d["event"] = to_array(event);
            d["detail"] = to_list(detail);
            return d;
        })
        .def("_summary_columns", [](const EligibilityResult& r) {
            std::vector<std::string> candidate, miss;
            std::vector<bool> eligible_b;
            {
                py::gil_scoped_release release;
                for (const auto& a : r.answers) {
                    candidate.push_back(a.candidate);
                    eligible_b.push_back(a.eligible);
                    std::string joined;
                    for (const auto& s : missing_of(a, r.referentiel)) joined += (joined.empty() ? "" : "; ") + s;
                    miss.push_back(std::move(joined));
                }
            }
            py::array_t<bool> eligible(static_cast<py::ssize_t>(eligible_b.size()));
            for (std::size_t i = 0; i < eligible_b.size(); ++i) eligible.mutable_data()[i] = eligible_b[i];
            return py::dict("candidate"_a = to_list(candidate), "eligible"_a = eligible, "missing"_a = to_list(miss));
        })
        .def("to_json", [](const EligibilityResult& r) {
            py::gil_scoped_release release;
            std::ostringstream out;
            write_eligibility_json(out, r.answers, r.referentiel);
            return out.str();
        }, "The answers as `certigraph eligibility` writes them in JSON.")
        .def("to_csv", [](const EligibilityResult& r) {
            py::gil_scoped_release release;
            std::ostringstream out;
            write_eligibility_csv(out, r.answers, r.referentiel);
            return out.str();
        }, "CSV text, one row per check: candidate,as_of,eligible,kind,subject,required,met,finding,reason,missing.")
        .def("__repr__", [](const EligibilityResult& r) {
            std::size_t eligible = 0;
            for (const auto& a : r.answers) eligible += a.eligible;
            return "<EligibilityResult as of " + r.as_of.to_string() + ": " + std::to_string(eligible) + " of " +
                   std::to_string(r.answers.size()) + " candidates eligible>";
        });

    m.def("_eligibility_of_events", [](const Referentiel& ref, const std::vector<std::string>& texts,
                                       const std::string& as_of, const std::optional<std::string>& candidate,
                                       unsigned threads) {
        const Date date = parse_date(as_of, "as_of");
        py::gil_scoped_release release;
        const std::vector<Event> events = parse_events(texts, true);
        return decide(ref, events, date, candidate, threads);
    }, "referentiel"_a, "texts"_a, "as_of"_a, "candidate"_a = py::none(), "threads"_a = 0);

    m.def("_eligibility_of_ledger", [](const Referentiel& ref, PyLedger& l, const std::string& as_of,
                                       const std::optional<std::string>& candidate, unsigned threads) {
        const Date date = parse_date(as_of, "as_of");
        const std::vector<Event> events =
            l.locked([&](Ledger& ledger) { return candidate ? ledger.events(*candidate) : ledger.all_events_by_candidate(); });
        py::gil_scoped_release release;
        return decide(ref, events, date, candidate, threads);
    }, "referentiel"_a, "ledger"_a, "as_of"_a, "candidate"_a = py::none(), "threads"_a = 0);
    m.def("_eligibility_table_of_ledger", [](const Referentiel& ref, PyLedger& l, const std::string& as_of,
                                             unsigned threads) {
        const Date date = parse_date(as_of, "as_of");
        EligibilityTable t;
        {
            const EventTable table = l.locked([](Ledger& ledger) { return ledger.event_table(); });
            py::gil_scoped_release release;
            t = eligibility_table(ref, table, date, threads);
        }
        return table_columns(t);
    }, "referentiel"_a, "ledger"_a, "as_of"_a, "threads"_a = 0);

    m.def("_eligibility_table_of_json_lines", [](const Referentiel& ref, const std::string& path,
                                                 const std::string& as_of, unsigned threads) {
        const Date date = parse_date(as_of, "as_of");
        EligibilityTable t;
        {
            py::gil_scoped_release release;
            const EventTable table = EventTable::from_json_lines(path);
            t = eligibility_table(ref, table, date, threads);
        }
        return table_columns(t);
    }, "referentiel"_a, "path"_a, "as_of"_a, "threads"_a = 0);
}


}  // namespace certigraph::python
