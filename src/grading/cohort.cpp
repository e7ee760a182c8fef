#include <certigraph/error.hpp>
#include <certigraph/grading/cohort.hpp>

#include "core/huge_pages.hpp"

#include <cmath>
#include <limits>

namespace certigraph {

namespace {

/// An empty vector made `n` copies of `fill`, its memory advised huge pages before the
/// fill first touches it (a million-row cohort's 240 MB: about 120 faults, not 60,000).
template <class T>
void fill_fresh(std::vector<T>& v, std::size_t n, T fill) {
    v.reserve(n);
    detail::advise_huge_pages(v.data(), n * sizeof(T));
    v.assign(n, fill);
}

}  // namespace

Cohort::Cohort(std::size_t rows, std::size_t criteria, std::size_t jurors)
    : rows_(rows),
      criteria_(criteria),
      jurors_(jurors) {
    fill_fresh(owned_values_, rows * criteria * jurors, std::numeric_limits<float>::quiet_NaN());
    values_ = owned_values_.data();
}

Cohort Cohort::view(const float* values, const std::uint8_t* marks, std::size_t rows,
                    std::size_t criteria, std::size_t jurors, std::shared_ptr<const void> owner) {
    if (!values && rows * criteria * jurors > 0) throw GradingError("cohort view over no values");
    Cohort c;
    c.rows_ = rows;
    c.criteria_ = criteria;
    c.jurors_ = jurors;
    c.values_ = values;
    c.marks_ = marks;
    c.owner_ = std::move(owner);
    return c;
}

std::size_t Cohort::index(std::size_t row, std::size_t criterion, std::size_t slot) const {
    if (row >= rows_ || criterion >= criteria_ || slot >= jurors_)
        throw GradingError("cohort index (" + std::to_string(row) + ", " +
                           std::to_string(criterion) + ", " + std::to_string(slot) +
                           ") is outside its shape (" + std::to_string(rows_) + ", " +
                           std::to_string(criteria_) + ", " + std::to_string(jurors_) + ")");
    return (row * criteria_ + criterion) * jurors_ + slot;
}

void Cohort::require_owned() const {
    if (values_ != owned_values_.data() || owned_values_.empty())
        throw GradingError("this cohort views memory it does not own; change the array instead");
}

float Cohort::value(std::size_t row, std::size_t criterion, std::size_t slot) const {
    return values_[index(row, criterion, slot)];
}

Mark Cohort::mark(std::size_t row, std::size_t criterion, std::size_t slot) const {
    const std::size_t i = index(row, criterion, slot);
    return marks_ ? static_cast<Mark>(marks_[i]) : Mark::value;
}

void Cohort::set_value(std::size_t row, std::size_t criterion, std::size_t slot, float value) {
    require_owned();
    owned_values_[index(row, criterion, slot)] = value;
}

void Cohort::set_mark(std::size_t row, std::size_t criterion, std::size_t slot, Mark mark) {
    require_owned();
    const std::size_t i = index(row, criterion, slot);
    if (owned_marks_.empty()) {
        if (mark == Mark::value) return;
        fill_fresh(owned_marks_, owned_values_.size(), std::uint8_t{0});
        marks_ = owned_marks_.data();
    }
    owned_marks_[i] = static_cast<std::uint8_t>(mark);
}

std::string Cohort::candidate(std::size_t row) const {
    if (row >= rows_) throw NotFound("row " + std::to_string(row) + " is outside the cohort");
    return candidates_.empty() ? "row " + std::to_string(row) : candidates_[row];
}

std::string Cohort::session(std::size_t row) const {
    if (row >= rows_) throw NotFound("row " + std::to_string(row) + " is outside the cohort");
    return sessions_.empty() ? std::string() : sessions_[row];
}

void Cohort::set_row_label(std::size_t row, std::string candidate, std::string session) {
    if (row >= rows_) throw NotFound("row " + std::to_string(row) + " is outside the cohort");
    if (candidates_.empty()) {  // the first label: give every row its default
        candidates_.resize(rows_);
        for (std::size_t r = 0; r < rows_; ++r) candidates_[r] = "row " + std::to_string(r);
        sessions_.assign(rows_, std::string());
    }
    candidates_[row] = std::move(candidate);
    sessions_[row] = std::move(session);
}

std::size_t Cohort::find_row(std::string_view candidate, std::string_view session) const {
    for (std::size_t r = 0; r < rows_; ++r)
        if (this->candidate(r) == candidate && (session.empty() || this->session(r) == session)) return r;
    return rows_;
}

std::uint32_t Cohort::juror(std::size_t row, std::size_t criterion, std::size_t slot) const {
    const std::size_t i = index(row, criterion, slot);
    return jurors_of_slots_.empty() ? no_juror : jurors_of_slots_[i];
}

std::uint32_t Cohort::juror_id(std::string_view name) {
    auto [it, added] =
        juror_ids_.try_emplace(std::string(name), static_cast<std::uint32_t>(juror_names_.size()));
    if (added) juror_names_.emplace_back(name);
    return it->second;
}

void Cohort::set_juror(std::size_t row, std::size_t criterion, std::size_t slot,
                       std::string_view name) {
    set_juror(row, criterion, slot, juror_id(name));
}

void Cohort::set_juror(std::size_t row, std::size_t criterion, std::size_t slot, std::uint32_t id) {
    const std::size_t i = index(row, criterion, slot);
    if (id >= juror_names_.size())
        throw GradingError("juror id " + std::to_string(id) + " was not given by juror_id()");
    if (jurors_of_slots_.empty()) fill_fresh(jurors_of_slots_, rows_ * criteria_ * jurors_, no_juror);
    jurors_of_slots_[i] = id;
}

}  // namespace certigraph
