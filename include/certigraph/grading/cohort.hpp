// A cohort: the dense candidates x criteria x jurors array of values to grade.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace certigraph {

/// What a juror slot holds besides a number. A slot whose value is NaN and mark is
/// `value` is *missing* (not yet assessed): never read as 0.
enum class Mark : std::uint8_t {
    value = 0,   ///< the slot's number (or missing when NaN)
    absent = 1,  ///< the candidate was absent: counts as not met
    exempt = 2,  ///< exempted: counts as met, and is flagged
};

/// Rows are (candidate, session) pairs; columns are the référentiel's criteria in
/// their dense order; the third axis holds juror slots. Values are float32 on the
/// criterion's scale, row-major [row][criterion][slot], NaN = missing.
///
/// A cohort either owns its arrays or views memory owned elsewhere (a numpy array):
/// then `owner` keeps that memory alive and nothing is copied.
class Cohort {
  public:
    /// An owning cohort of the given shape, every value missing.
    Cohort(std::size_t rows, std::size_t criteria, std::size_t jurors);

    /// A view over `values` (rows x criteria x jurors floats) and optional `marks`
    /// (same shape, may be null). No copy; `owner` is kept alive with the cohort.
    static Cohort view(const float* values, const std::uint8_t* marks, std::size_t rows,
                       std::size_t criteria, std::size_t jurors,
                       std::shared_ptr<const void> owner = nullptr);

    std::size_t rows() const noexcept { return rows_; }
    std::size_t criteria() const noexcept { return criteria_; }
    std::size_t jurors() const noexcept { return jurors_; }

    /// All values, row-major; marks() is null when no slot is absent or exempt.
    const float* values() const noexcept { return values_; }
    const std::uint8_t* marks() const noexcept { return marks_; }
    float value(std::size_t row, std::size_t criterion, std::size_t slot) const;
    Mark mark(std::size_t row, std::size_t criterion, std::size_t slot) const;

    /// Owning cohorts only (@throws GradingError on a view).
    void set_value(std::size_t row, std::size_t criterion, std::size_t slot, float value);
    void set_mark(std::size_t row, std::size_t criterion, std::size_t slot, Mark mark);

    /// Row labels; "row <i>" and "" until set (made on demand: a million-row view
    /// over a numpy array allocates no label).
    std::string candidate(std::size_t row) const;
    std::string session(std::size_t row) const;
    void set_row_label(std::size_t row, std::string candidate, std::string session);
    /// The row of a candidate (first session found), or rows() if absent.
    std::size_t find_row(std::string_view candidate, std::string_view session = {}) const;

    /// Who filled each slot, when known (read from a file): index into juror_names(),
    /// or no_juror. Empty when unknown; then slot 0 is taken as the president.
    static constexpr std::uint32_t no_juror = 0xFFFFFFFF;
    const std::vector<std::string>& juror_names() const noexcept { return juror_names_; }
    std::uint32_t juror(std::size_t row, std::size_t criterion, std::size_t slot) const;
    void set_juror(std::size_t row, std::size_t criterion, std::size_t slot, std::string_view name);
    /// The id of a juror name, registering it if new (for set_juror by id).
    std::uint32_t juror_id(std::string_view name);
    /// Same as set_juror by name, with an id from juror_id(): no string work per slot.
    void set_juror(std::size_t row, std::size_t criterion, std::size_t slot, std::uint32_t id);

  private:
    Cohort() = default;
    std::size_t index(std::size_t row, std::size_t criterion, std::size_t slot) const;
    void require_owned() const;

    std::size_t rows_ = 0, criteria_ = 0, jurors_ = 0;
    std::vector<float> owned_values_;
    std::vector<std::uint8_t> owned_marks_;
    const float* values_ = nullptr;
    const std::uint8_t* marks_ = nullptr;
    std::shared_ptr<const void> owner_;
    std::vector<std::string> candidates_, sessions_;
    std::vector<std::string> juror_names_;
    std::unordered_map<std::string, std::uint32_t> juror_ids_;
    std::vector<std::uint32_t> jurors_of_slots_;
};

}  // namespace certigraph
