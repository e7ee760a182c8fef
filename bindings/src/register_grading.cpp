// Grading: policies, cohorts (zero-copy views of numpy arrays), the grader and its
// results as numpy arrays. Bulk work runs with the GIL released.
#include "pybind11.hpp"

#include <certigraph/certigraph.hpp>

#include "core/huge_pages.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <memory>
#include <mutex>

namespace certigraph::python {

namespace {

/// Keeps a Python object alive from C++ (a cohort's numpy arrays); the last
/// release may happen without the GIL, so the deleter takes it.
std::shared_ptr<const void> keep_alive(py::object object) {
    return std::shared_ptr<const void>(new py::object(std::move(object)), [](const void* p) {
        py::gil_scoped_acquire gil;
        delete static_cast<const py::object*>(p);
    });
}

/// A grading result with what explanations and frames need. Row labels are read
/// from the cohort when asked for (copying a million of them would cost more than
/// grading); an unpickled result keeps its own. Details (details=True, the default)
/// are computed on first access, from the grader and cohort it keeps: grading itself
/// is the bloc-only pass.
struct Result {
    GradeResult result;
    std::vector<std::string> blocs, competencies, criteria;
    std::shared_ptr<const Grader> grader;    // null after unpickling
    std::shared_ptr<const Cohort> cohort;    // null after unpickling
    mutable std::vector<std::string> unpickled_candidates, unpickled_sessions;  // or cached labels
    bool details = false;  // criterion values and statuses, competency statuses asked for
    unsigned threads = 0;  // for computing them
    mutable std::mutex mutex;  // guards `result` once it is shared with Python threads
    mutable bool details_added = false;

    /// Runs f(result) under the mutex, with the GIL released (no Python object is
    /// touched), details added first when asked for and not yet there.
    template <class F>
    decltype(auto) with_result(bool need_details, F&& f) const {
        py::gil_scoped_release release;
        std::lock_guard lock(mutex);
        if (need_details && details && !details_added && grader && cohort) {
            grader->add_details(*cohort, const_cast<GradeResult&>(result), threads);
            details_added = true;
        }
        return f(const_cast<GradeResult&>(result));
    }
    /// The result with its details (if asked for), computed now if not yet.
    const GradeResult& detailed() const {
        return with_result(true, [](GradeResult& r) -> const GradeResult& { return r; });
    }
    bool has_details() const { return details || !result.criterion_status.empty(); }

    // Read from the cohort on the first access, then kept (callers hold the GIL).
    const std::vector<std::string>& candidates() const {
        if (cohort && unpickled_candidates.size() != cohort->rows()) {
            unpickled_candidates.resize(cohort->rows());
            for (std::size_t r = 0; r < cohort->rows(); ++r) unpickled_candidates[r] = cohort->candidate(r);
        }
        return unpickled_candidates;
    }
    const std::vector<std::string>& sessions() const {
        if (cohort && unpickled_sessions.size() != cohort->rows()) {
            unpickled_sessions.resize(cohort->rows());
            for (std::size_t r = 0; r < cohort->rows(); ++r) unpickled_sessions[r] = cohort->session(r);
        }
        return unpickled_sessions;
    }
};

std::vector<Scale> scales_of(const Referentiel& ref, const std::optional<Policy>& policy) {
    std::vector<Scale> scales;
    if (policy) {
        const Grader grader(ref, *policy);
        for (Index k = 0; k < ref.criteria().size(); ++k) scales.push_back(grader.scale_of_criterion(k));
    } else {
        scales.assign(ref.criteria().size(), Scale::numeric(0, 20, 10));
    }
    return scales;
}

py::object explanation_to_python(const Explanation& e) {
    py::dict d("kind"_a = std::string(to_string(e.kind)), "code"_a = e.code,
               "status"_a = std::string(to_string(e.status)), "rule"_a = e.rule);
    d["value"] = e.value ? py::object(py::float_(*e.value)) : py::none();
    d["threshold"] = e.threshold ? py::object(py::float_(*e.threshold)) : py::none();
    d["margin"] = e.margin ? py::object(py::float_(*e.margin)) : py::none();
    if (e.kind == NodeKind::criterion) {
        py::list jurors;
        for (const auto& j : e.jurors) jurors.append(j ? py::object(py::float_(*j)) : py::none());
        d["jurors"] = jurors;
    }
    d["note"] = e.note;
    py::list children;
    for (const auto& c : e.children) children.append(explanation_to_python(c));
    d["children"] = children;
    return std::move(d);
}

template <class T>
py::array view_of(const std::vector<T>& data, std::vector<py::ssize_t> shape, const py::object& owner) {
    std::vector<py::ssize_t> strides(shape.size());
    py::ssize_t stride = sizeof(T);
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= shape[i];
    }
    py::array out(py::dtype::of<T>(), shape, strides, data.data(), owner);
    py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return out;
}

std::shared_ptr<Result> grade_with(std::shared_ptr<const Grader> grader, std::shared_ptr<const Cohort> cohort,
                                   unsigned threads, bool details) {
    auto out = std::make_shared<Result>();
    {
        py::gil_scoped_release release;  // pure C++ from here: no Python object is touched
        // Bloc statuses now; details (if asked for) on first access (Result::detailed).
        out->result = grader->grade(*cohort, {.threads = threads, .details = false});
    }
    out->details = details;
    out->threads = threads;
    const Referentiel& ref = grader->referentiel();
    for (const auto& b : ref.blocs()) out->blocs.push_back(b.code);
    for (const auto& c : ref.competencies()) out->competencies.push_back(c.code);
    for (const auto& k : ref.criteria()) out->criteria.push_back(k.code);
    out->grader = std::move(grader);
    out->cohort = std::move(cohort);
    return out;
}

std::size_t row_of(const Result& r, const std::string& candidate, const std::optional<std::string>& session) {
    const std::size_t row = r.cohort->find_row(candidate, session.value_or(""));
    if (row < r.cohort->rows()) return row;
    throw NotFound("no row for candidate '" + candidate + "'" + (session ? " in session '" + *session + "'" : ""));
}

/// A byte buffer that grows by doubling, without zero-filling what it adds: one
/// anonymous mapping, advised 2 MB pages as a whole (the bytes are fresh memory,
/// written once: a 400 MB file costs about 200 page faults rather than 100,000), grown
/// with mremap, which moves its pages rather than copying them. (realloc did the same
/// for 4 KB pages; with the advice on part of its block, its mremap would fail and copy.)
class GrowingBuffer {
  public:
    GrowingBuffer() = default;
    GrowingBuffer(const GrowingBuffer&) = delete;
    GrowingBuffer& operator=(const GrowingBuffer&) = delete;
    ~GrowingBuffer() {
        if (data_) ::munmap(data_, capacity_);
    }

    /// Room for at least `n` more bytes after the current end.
    char* room(std::size_t n) {
        if (capacity_ - size_ < n) {
            const std::size_t page = certigraph::detail::huge_page_bytes;
            const std::size_t capacity = (std::max(size_ + n, capacity_ * 2) + page - 1) / page * page;
            void* grown = data_ ? ::mremap(data_, capacity_, capacity, MREMAP_MAYMOVE)
                                : ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (grown == MAP_FAILED) throw std::bad_alloc();
            if (!data_) ::madvise(grown, capacity, MADV_HUGEPAGE);  // the mapping keeps it when it grows
            data_ = static_cast<char*>(grown);
            capacity_ = capacity;
        }
        return data_ + size_;
    }
    /// `n` bytes were written at room()'s pointer.
    void grew(std::size_t n) noexcept { size_ += n; }
    std::string_view view() const noexcept { return {data_ ? data_ : "", size_}; }

  private:
    char* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// `<Policy RNCP40514: 1 scale, jurors' mean, competencies: all, blocs: all, 2 thresholds>`
std::string policy_repr(const Policy& p) {
    return "<Policy " + p.referentiel + ": " + plural(p.scales.size(), "scale", "scales") + ", jurors' " +
           std::string(to_string(p.aggregation)) + ", competencies: " + std::string(to_string(p.competency_rule.kind)) +
           ", blocs: " + std::string(to_string(p.bloc_rule.kind)) + (p.bloc_rule.over_criteria ? " (of criteria)" : "") +
           ", " + plural(p.thresholds.size(), "threshold", "thresholds") + ">";
}

/// `<Result 8 rows × 4 blocs: 26 validated, 5 not_validated, 1 incomplete; with details>`
std::string result_repr(const Result& r) {
    std::array<std::size_t, 4> counts{};
    for (const Status s : r.result.bloc_status)
        if (const auto i = static_cast<std::size_t>(s); i < counts.size()) ++counts[i];
    std::string out = "<Result " + plural(r.result.rows, "row", "rows") + " \u00d7 " +
                      plural(r.result.blocs, "bloc", "blocs");
    const char* sep = ": ";
    for (const Status s : {Status::validated, Status::not_validated, Status::incomplete, Status::exempt}) {
        const std::size_t n = counts[static_cast<std::size_t>(s)];
        if (n == 0) continue;
        out += sep + std::to_string(n) + " " + std::string(to_string(s));
        sep = ", ";
    }
    out += r.has_details() ? "; with details>" : "; bloc statuses only>";
    return out;
}

}  // namespace

void register_grading(py::module_& m) {
    py::class_<Policy>(m, "Policy", R"pbdoc(
A grading policy: scales, juror aggregation, rules per level (docs/grading.md).
Load one with Policy.load(path) or Policy.from_json(text).
)pbdoc")
        .def_static("load", [](const std::filesystem::path& path) { return io::load_policy(path.string()); },
                    "path"_a, "Reads a policy JSON file.")
        .def_static("from_json", &io::policy_from_json, "text"_a, "source"_a = "<input>")
        .def("to_json", &io::policy_to_json)
        .def_readonly("referentiel", &Policy::referentiel)
        .def_readonly("thresholds", &Policy::thresholds)
        .def("with_thresholds", [](const Policy& p, const std::map<std::string, double>& changes) {
            Policy out = p;
            for (const auto& [code, t] : changes) out.thresholds[code] = t;
            return out;
        }, "thresholds"_a, "A copy with these entries of `thresholds` set (code -> pass threshold).")
        .def("__eq__", [](const Policy& a, const py::object& b) {
            try { return a == b.cast<const Policy&>(); } catch (const py::cast_error&) { return false; }
        })
        .def("__repr__", &policy_repr)
        .def(py::pickle([](const Policy& p) { return io::policy_to_json(p); },
                        [](const std::string& text) { return io::policy_from_json(text, "pickle"); }));

    py::class_<Cohort, std::shared_ptr<Cohort>>(m, "Cohort", R"pbdoc(
The values to grade: rows (candidate, session) x the référentiel's criteria x juror
slots, float32, NaN = missing. Build one with Cohort.from_array (no copy),
Cohort.from_frame or read_evaluations.
)pbdoc")
        .def_static("_from_array", [](const Referentiel& ref, py::array scores, std::optional<py::array> marks,
                                      std::optional<std::vector<std::string>> candidates,
                                      std::optional<std::vector<std::string>> sessions) {
            // No silent copy: the array must already be what the engine reads.
            if (!scores.dtype().equal(py::dtype::of<float>()))
                throw py::value_error("scores must be float32 (got " + std::string(py::str(scores.dtype())) +
                                      "); convert with scores.astype(numpy.float32)");
            if (scores.ndim() != 3)
                throw py::value_error("scores must have 3 dimensions (candidates, criteria, jurors), got " +
                                      std::to_string(scores.ndim()));
            if (!(scores.flags() & py::array::c_style) || !(scores.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_))
                throw py::value_error("scores must be C-contiguous and aligned; use numpy.ascontiguousarray(scores)");
            const auto rows = static_cast<std::size_t>(scores.shape(0));
            const auto criteria = static_cast<std::size_t>(scores.shape(1));
            const auto jurors = static_cast<std::size_t>(scores.shape(2));
            if (criteria != ref.criteria().size())
                throw py::value_error("scores has " + std::to_string(criteria) + " criteria, " +
                                      ref.certification().code + " has " + std::to_string(ref.criteria().size()));
            const std::uint8_t* mark_data = nullptr;
            py::list owners;
            owners.append(scores);
            if (marks) {
                if (!marks->dtype().equal(py::dtype::of<std::uint8_t>()) || !(marks->flags() & py::array::c_style) ||
                    marks->ndim() != 3 || marks->shape(0) != scores.shape(0) || marks->shape(1) != scores.shape(1) ||
                    marks->shape(2) != scores.shape(2))
                    throw py::value_error("marks must be a C-contiguous uint8 array of the same shape as scores");
                mark_data = static_cast<const std::uint8_t*>(marks->data());
                owners.append(*marks);
            }
            auto cohort = std::make_shared<Cohort>(Cohort::view(static_cast<const float*>(scores.data()), mark_data,
                                                                rows, criteria, jurors, keep_alive(owners)));
            if (candidates && candidates->size() != rows)
                throw py::value_error("candidates has " + std::to_string(candidates->size()) + " ids for " +
                                      std::to_string(rows) + " rows");
            if (sessions && sessions->size() != rows)
                throw py::value_error("sessions has " + std::to_string(sessions->size()) + " entries for " +
                                      std::to_string(rows) + " rows");
            if (candidates || sessions)
                for (std::size_t r = 0; r < rows; ++r)
                    cohort->set_row_label(r, candidates ? (*candidates)[r] : cohort->candidate(r),
                                          sessions ? (*sessions)[r] : std::string());
            return cohort;
        }, "referentiel"_a, "scores"_a, "marks"_a = py::none(), "candidates"_a = py::none(), "sessions"_a = py::none())
        .def_property_readonly("rows", &Cohort::rows)
        .def_property_readonly("criteria", &Cohort::criteria)
        .def_property_readonly("jurors", &Cohort::jurors)
        .def_property_readonly("values", [](const py::object& self) {
            const auto& c = self.cast<const Cohort&>();
            const auto J = static_cast<py::ssize_t>(c.jurors()), C = static_cast<py::ssize_t>(c.criteria());
            py::array out(py::dtype::of<float>(),
                          {static_cast<py::ssize_t>(c.rows()), C, J},
                          {static_cast<py::ssize_t>(sizeof(float)) * C * J, static_cast<py::ssize_t>(sizeof(float)) * J,
                           static_cast<py::ssize_t>(sizeof(float))},
                          c.values(), self);
            py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
            return out;
        }, "The values, as a read-only numpy view of the cohort's memory (no copy).")
        .def_property_readonly("candidates", [](const Cohort& c) {
            std::vector<std::string> out;
            for (std::size_t r = 0; r < c.rows(); ++r) out.push_back(c.candidate(r));
            return out;
        })
        .def_property_readonly("sessions", [](const Cohort& c) {
            std::vector<std::string> out;
            for (std::size_t r = 0; r < c.rows(); ++r) out.push_back(c.session(r));
            return out;
        })
        .def_property_readonly("juror_names", &Cohort::juror_names)
        .def("__repr__", [](const Cohort& c) {
            return "<Cohort " + plural(c.rows(), "row", "rows") + " \u00d7 " +
                   plural(c.criteria(), "criterion", "criteria") + " \u00d7 " + plural(c.jurors(), "juror", "jurors") +
                   ">";
        });

    m.def("_read_evaluations_text", [](const Referentiel& ref, const std::string& text, const std::string& source,
                                       std::optional<Policy> policy) {
        const std::vector<Scale> scales = scales_of(ref, policy);
        py::gil_scoped_release release;
        return std::make_shared<Cohort>(io::read_evaluations(ref, scales, text, source));
    }, "referentiel"_a, "text"_a, "source"_a, "policy"_a = py::none());

    // A path: the C++ reader maps the file and parses it with the GIL released; its
    // bytes never become a Python object.
    m.def("_read_evaluations_file", [](const Referentiel& ref, const std::filesystem::path& path,
                                       std::optional<Policy> policy) {
        const std::vector<Scale> scales = scales_of(ref, policy);
        py::gil_scoped_release release;
        return std::make_shared<Cohort>(io::load_evaluations(ref, scales, path));
    }, "referentiel"_a, "path"_a, "policy"_a = py::none());

    // A file-like object, read in chunks into one C++ buffer (one chunk at a time is a
    // Python object, at most), then parsed with the GIL released: a binary file with
    // `readinto` fills the buffer directly; otherwise `read(chunk)` until it returns
    // nothing, bytes appended as they are and str chunks as their UTF-8.
    m.def("_read_evaluations_stream", [](const Referentiel& ref, const py::object& file, const std::string& source,
                                         std::optional<Policy> policy, py::ssize_t chunk, bool readinto) {
        const std::vector<Scale> scales = scales_of(ref, policy);
        GrowingBuffer text;
        const auto step = static_cast<std::size_t>(chunk);
        if (readinto) {
            const py::object read_into = file.attr("readinto");
            for (;;) {
                char* free = text.room(step);
                const py::memoryview view = py::memoryview::from_memory(free, chunk);
                const py::object got = read_into(view);
                if (got.is_none())
                    throw py::type_error(source + ": readinto() returned None (a non-blocking stream without data); "
                                         "read_evaluations needs a blocking file");
                const auto n = got.cast<py::ssize_t>();
                if (n <= 0) break;
                text.grew(std::min(static_cast<std::size_t>(n), step));
            }
        } else {
            const py::object read = file.attr("read");
            for (;;) {
                const py::object part = read(chunk);
                const char* data = nullptr;
                Py_ssize_t size = 0;
                if (part.is_none()) break;
                if (PyBytes_Check(part.ptr())) {
                    char* bytes = nullptr;
                    if (PyBytes_AsStringAndSize(part.ptr(), &bytes, &size) != 0) throw py::error_already_set();
                    data = bytes;
                } else if (PyUnicode_Check(part.ptr())) {
                    data = PyUnicode_AsUTF8AndSize(part.ptr(), &size);
                    if (!data) throw py::error_already_set();
                } else if (PyObject_CheckBuffer(part.ptr())) {  // bytearray, memoryview
                    const py::buffer_info info = py::reinterpret_borrow<py::buffer>(part).request();
                    data = static_cast<const char*>(info.ptr);
                    size = info.size * info.itemsize;
                } else {
                    throw py::type_error(source + ": read() returned " + std::string(Py_TYPE(part.ptr())->tp_name) +
                                         "; read_evaluations needs a file opened in binary or text mode (bytes or str)");
                }
                if (size == 0) break;
                std::memcpy(text.room(static_cast<std::size_t>(size)), data, static_cast<std::size_t>(size));
                text.grew(static_cast<std::size_t>(size));
            }
        }
        py::gil_scoped_release release;
        return std::make_shared<Cohort>(io::read_evaluations(ref, scales, text.view(), source));
    }, "referentiel"_a, "file"_a, "source"_a, "policy"_a = py::none(), "chunk"_a = py::ssize_t{1} << 20,
       "readinto"_a = false);

    py::class_<Result, std::shared_ptr<Result>>(m, "Result", R"pbdoc(
Bloc statuses of every row (numpy uint8, Status codes), and on request criterion
values and statuses and competency statuses, with explanations.
)pbdoc")
        .def_property_readonly("bloc_status", [](const py::object& self) {
            const auto& r = self.cast<const Result&>();
            return view_of(r.result.bloc_status, {static_cast<py::ssize_t>(r.result.rows),
                                                 static_cast<py::ssize_t>(r.result.blocs)}, self);
        }, "(rows, blocs) uint8 array of Status codes (a read-only view, no copy).")
        .def_property_readonly("criterion_values", [](const py::object& self) -> py::object {
            const auto& r = self.cast<const Result&>();
            if (!r.has_details()) return py::none();
            const GradeResult& g = r.detailed();
            return view_of(g.criterion_value, {static_cast<py::ssize_t>(g.rows), static_cast<py::ssize_t>(g.criteria)},
                           self);
        }, "(rows, criteria) float32 aggregated values (NaN unknown), or None without details; computed on first "
           "access.")
        .def_property_readonly("criterion_status", [](const py::object& self) -> py::object {
            const auto& r = self.cast<const Result&>();
            if (!r.has_details()) return py::none();
            const GradeResult& g = r.detailed();
            return view_of(g.criterion_status, {static_cast<py::ssize_t>(g.rows), static_cast<py::ssize_t>(g.criteria)},
                           self);
        })
        .def_property_readonly("competency_status", [](const py::object& self) -> py::object {
            const auto& r = self.cast<const Result&>();
            if (!r.has_details()) return py::none();
            const GradeResult& g = r.detailed();
            return view_of(g.competency_status,
                           {static_cast<py::ssize_t>(g.rows), static_cast<py::ssize_t>(g.competencies)}, self);
        })
        .def_property_readonly("candidates", &Result::candidates, "Candidate of each row.")
        .def_property_readonly("sessions", &Result::sessions, "Session of each row.")
        .def_readonly("blocs", &Result::blocs)
        .def_readonly("competencies", &Result::competencies)
        .def_readonly("criteria", &Result::criteria)
        .def("explain", [](const Result& r, const std::string& candidate, std::optional<std::string> session) {
            if (!r.grader || !r.cohort)
                throw GradingError("this result was unpickled: explanations need the cohort; grade it again");
            const std::size_t row = row_of(r, candidate, session);
            py::list blocs;
            for (const auto& e : r.grader->explain(*r.cohort, row)) blocs.append(explanation_to_python(e));
            return blocs;
        }, "candidate"_a, "session"_a = py::none(), R"pbdoc(
Why a candidate has each bloc status: a list of nested dicts (bloc -> competency ->
criterion) with status, rule, value, threshold, margin, jurors' values and a note.
)pbdoc")
        .def("__repr__", &result_repr)
        .def("__eq__", [](const Result& a, const py::object& b) {
            try {
                const auto& o = b.cast<const Result&>();
                return a.detailed() == o.detailed() && a.candidates() == o.candidates() &&
                       a.sessions() == o.sessions() && a.blocs == o.blocs;
            } catch (const py::cast_error&) { return false; }
        })
        .def(py::pickle(
            [](const Result& r) {
                std::ostringstream out(std::ios::binary);
                io::save_results_archive(r.detailed(), r.candidates(), r.sessions(), r.blocs, r.competencies,
                                         r.criteria, out);
                return py::bytes(out.str());
            },
            [](const py::bytes& data) {
                std::istringstream in(std::string(data), std::ios::binary);
                auto r = std::make_shared<Result>();
                r->result = io::load_results_archive(in, r->unpickled_candidates, r->unpickled_sessions, r->blocs,
                                                     r->competencies, r->criteria, "pickle");
                return r;
            }));

    py::class_<Grader, std::shared_ptr<Grader>>(m, "Grader", R"pbdoc(
A policy compiled against a référentiel, once; grade cohorts with it as often as
needed, from several threads at once.
)pbdoc")
        .def(py::init([](const Referentiel& ref, const Policy& policy) {
            return std::make_shared<Grader>(ref, policy);
        }), "referentiel"_a, "policy"_a)
        .def("grade", [](const std::shared_ptr<Grader>& g, const std::shared_ptr<Cohort>& cohort, unsigned threads,
                         bool details) { return grade_with(g, cohort, threads, details); },
             "cohort"_a, py::kw_only(), "threads"_a = 0, "details"_a = true, "Grades every row (GIL released).")
        .def("regrade", [](const Grader& g, const Cohort& cohort, std::size_t row, Result& result) {
            // Details not yet computed will be, from the cohort as it is then.
            result.with_result(false, [&](GradeResult& r) { g.regrade(cohort, row, r); });
        }, "cohort"_a, "row"_a, "result"_a, "Re-grades one row into `result` (after a value of it changed).")
        .def("with_threshold", [](const Grader& g, const std::string& code, double t) {
            return std::make_shared<Grader>(g.with_threshold(code, t));
        }, "code"_a, "threshold"_a)
        .def_property_readonly("referentiel", &Grader::referentiel)
        .def_property_readonly("policy", &Grader::policy)
        .def("__repr__", [](const Grader& g) {
            return "<Grader " + g.referentiel().certification().code + ": " +
                   plural(g.referentiel().criteria().size(), "criterion", "criteria") + ", " +
                   plural(g.policy().thresholds.size(), "threshold", "thresholds") + ">";
        });

    m.def("grade", [](const Referentiel& ref, const Policy& policy, const std::shared_ptr<Cohort>& cohort,
                      unsigned threads, bool details) {
        std::shared_ptr<const Grader> grader;
        {
            py::gil_scoped_release release;
            grader = std::make_shared<const Grader>(ref, policy);
        }
        return grade_with(std::move(grader), cohort, threads, details);
    }, "referentiel"_a, "policy"_a, "cohort"_a, py::kw_only(), "threads"_a = 0, "details"_a = true, R"pbdoc(
Grades a whole cohort: compiles the policy against the référentiel, then one
streaming pass over the cohort with the GIL released.

Returns
-------
Result
)pbdoc");

    m.def("_sensitivity", [](const Referentiel& ref, const Policy& policy, const Cohort& cohort,
                             const std::string& code, double start, double stop, double step) {
        std::vector<SensitivityRow> rows;
        {
            py::gil_scoped_release release;
            rows = sensitivity(Grader(ref, policy), cohort, code, start, stop, step);
        }
        py::list out;
        for (const auto& r : rows)
            out.append(py::make_tuple(r.threshold, r.validated, r.not_validated, r.incomplete, r.exempt, r.changed));
        return out;
    });
}

}  // namespace certigraph::python
