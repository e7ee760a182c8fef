// Private helpers of the stats area: number formatting and distribution functions
// (Boost.Math, header-only).
#pragma once

#include <certigraph/stats/agreement.hpp>

#include <string>

namespace certigraph::stats {

/// Krippendorff's alpha from a coincidence matrix (agreement.cpp).
Alpha alpha_from_coincidences(const Coincidences& coincidences, Metric metric);

/// Shortest text that reads back as the same double ("3", "0.25").
std::string number_text(double v);

/// Fixed notation with `digits` decimals ("0.118").
std::string fixed_text(double v, int digits);
/// A p-value for messages: "p = 0.0123", "p < 0.0001".
std::string p_text(double p);

/// Upper tail of the standard normal: P(Z > z).
double normal_sf(double z);
/// Upper tail of Student's t(df): P(T > t).
double student_t_sf(double t, double df);
/// Upper tail of F(df1, df2): P(X > f).
double f_sf(double f, double df1, double df2);
/// The p-quantile of F(df1, df2).
double f_quantile(double p, double df1, double df2);
/// Upper tail of chi-square(df).
double chi_square_sf(double x, double df);

}  // namespace certigraph::stats
