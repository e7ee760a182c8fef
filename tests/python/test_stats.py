"""certigraph.stats: published values through the Python API, pandas in and out."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import certigraph as cg
import certigraph.stats as st

from conftest import DATA

IRR = DATA / "irr"
EXPECTED = {e["id"]: e for e in json.loads((IRR / "expected_values.json").read_text())["entries"]}


def wide(name: str) -> np.ndarray:
    return pd.read_csv(IRR / name, index_col=0).to_numpy(dtype=float)


def close(value, entry_id):
    entry = EXPECTED[entry_id]
    assert value == pytest.approx(entry["expected"], abs=entry["tolerance"])


def test_krippendorff_alpha_hayes_2007():
    data = wide("hayes_krippendorff2007_news_tone_40units_5obs.csv")
    assert np.isnan(data).sum() == 41
    close(st.krippendorff_alpha(data, metric="ordinal"), "kripp_hayes2007_ordinal")
    close(st.krippendorff_alpha(data, metric="nominal"), "kripp_hayes2007_nominal")
    close(st.krippendorff_alpha(data), "kripp_hayes2007_interval")
    detail = st.krippendorff_alpha(data, metric="ordinal", detail=True)
    assert detail["pairable_values"] == 159


def test_fleiss_kappa_raw_and_counts():
    data = wide("fleiss1971_diagnoses_30subj_6raters.csv")
    close(st.fleiss_kappa_raw(data, categories=[1, 2, 3, 4, 5]), "fleiss1971_diagnoses_kappa")
    counts = np.stack([(data == c).sum(axis=1) for c in range(1, 6)], axis=1)
    detail = st.fleiss_kappa(counts, detail=True)
    close(detail["kappa"], "fleiss1971_diagnoses_kappa")
    assert detail["category_kappas"] == pytest.approx(EXPECTED["fleiss1971_diagnoses_category_kappas"]["expected"],
                                                      abs=5e-4)
    close(st.conger_kappa(data), "fleiss1971_diagnoses_conger_exact")


def test_cohen_kappa_weights_and_categories():
    data = wide("irr_anxiety_20subj_3raters.csv")
    close(st.cohen_kappa(data[:, 1], data[:, 2], weights="linear"), "cohen_irr_anxiety_r23_equal")
    # Declaring the 1..6 scale keeps the unused category 5 in the weights.
    assert st.cohen_kappa(data[:, 1], data[:, 2], weights="linear", categories=range(1, 7)) == pytest.approx(
        0.1262135922, abs=1e-9)
    close(st.cohen_kappa(data[:, 0], data[:, 1], weights=st.irr_weights([0, 1, 2, 4, 7, 11])),
          "cohen_irr_anxiety_r12_custom_0124711")
    table = pd.read_csv(IRR / "cohen_irrCAC_cont3x3abstractors.csv", index_col=0)
    close(st.cohen_kappa_table(table, weights="quadratic"), "cohen_irrCAC_abstractors_quadratic")
    close(st.cohen_kappa_table(table.to_numpy()), "cohen_irrCAC_abstractors_none")


def test_icc_and_kendall():
    data = wide("irr_anxiety_20subj_3raters.csv")
    close(st.icc(data), "icc_irr_anxiety_ICC2_1")
    close(st.icc(data, form="ICC(3,k)"), "icc_irr_anxiety_ICC3_k")
    table = st.icc_table(data)
    assert list(table.index) == ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]
    assert set(["icc", "F", "df1", "df2", "p_value", "lower", "upper"]) <= set(table.columns)
    assert (table["lower"] < table["icc"]).all() and (table["icc"] < table["upper"]).all()
    close(st.kendall_w(data, tie_correction=True), "kendallW_irr_anxiety_tie_corrected")
    close(st.kendall_w(data, tie_correction=False), "kendallW_irr_anxiety_uncorrected")
    assert st.kendall_w(data, detail=True)["chi_square"] == pytest.approx(30.76044, abs=5e-5)


def test_gwet_and_percent_agreement_perfect():
    perfect = np.array([[1, 1, 1], [2, 2, np.nan], [3, 3, 3.0]])
    assert st.gwet_ac(perfect) == pytest.approx(1.0)
    assert st.percent_agreement(perfect)["all_agree"] == 1.0
    assert st.krippendorff_alpha(perfect, metric="nominal") == pytest.approx(1.0)


def test_juror_severity_additive_matches_r_lm():
    data = wide("hayes_krippendorff2007_news_tone_40units_5obs.csv")
    units, raters = np.nonzero(~np.isnan(data))
    frame = pd.DataFrame({"candidate": units + 1, "juror": [f"obs{r + 1}" for r in raters],
                          "criterion": "tone", "score": data[units, raters]})
    table = st.juror_severity(frame)
    assert list(table.columns) == ["juror", "severity", "se", "z", "p_value", "observations", "flagged", "reason"]
    assert table["severity"].to_numpy() == pytest.approx(EXPECTED["additive_newstone_severity"]["expected"], abs=1e-6)
    assert table.attrs["mu"] == pytest.approx(EXPECTED["additive_newstone_mu"]["expected"], abs=1e-6)
    assert (table["se"] > 0).all()


def test_juror_severity_disconnected_design_names_groups():
    frame = pd.DataFrame({"candidate": ["a", "a", "b", "b"], "juror": ["J1", "J2", "J3", "J4"],
                          "criterion": "k", "score": [10.0, 12.0, 9.0, 11.0]})
    with pytest.raises(st.DisconnectedDesignError, match="group 1: jurors J1 J2; candidates a"):
        st.juror_severity(frame)
    assert issubclass(st.DisconnectedDesignError, cg.Error)


def test_juror_severity_rasch_frame():
    rng = np.random.default_rng(4)
    rows = []
    for c in range(300):
        ability = rng.normal()
        for j in (f"J{c % 3}", f"J{(c + 1) % 3}"):
            shift = {"J0": -0.8, "J1": 0.0, "J2": 0.8}[j]
            rows.append((c, j, "k", int(np.clip(np.round(2 + ability - shift + rng.normal(scale=0.5)), 0, 4))))
    frame = pd.DataFrame(rows, columns=["candidate", "juror", "criterion", "score"])
    table = st.juror_severity(frame, model="rasch")
    assert {"infit", "outfit"} <= set(table.columns)
    assert table.attrs["converged"]
    assert table.set_index("juror")["severity"].is_monotonic_increasing  # J0 lenient ... J2 harsh


def test_cohort_agreement_and_severity(ref, sample):
    by_criterion = st.cohort_agreement(sample, ref)
    assert len(by_criterion) == 30
    assert by_criterion.index.name == "criterion"
    assert by_criterion["alpha"].between(-1, 1).all()
    by_bloc = st.cohort_agreement(sample, ref, by="bloc", metric="ordinal")
    assert list(by_bloc.index) == [b.code for b in ref.blocs]
    severity = st.cohort_severity(sample, ref)
    assert sorted(severity["juror"]) == ["J1", "J2"]
    assert severity["severity"].sum() == pytest.approx(0, abs=1e-12)


def test_bad_input_is_refused_with_the_fix():
    with pytest.raises(st.StatsError, match="use nominal, ordinal, interval or ratio"):
        st.krippendorff_alpha(np.ones((3, 2)), metric="cardinal")
    with pytest.raises(st.StatsError, match="2-dimensional"):
        st.krippendorff_alpha(np.ones(3))
    with pytest.raises(st.StatsError, match="use ICC"):
        st.icc(np.ones((3, 2)), form="ICC(9,1)")


def test_additive_standard_errors_match_a_dense_least_squares_fit():
    """An independent fit: the full contr.sum design matrix, numpy least squares and
    sigma^2 (X'X)^-1; the last juror's severity is minus the sum of the others."""
    data = wide("hayes_krippendorff2007_news_tone_40units_5obs.csv")
    units, raters = np.nonzero(~np.isnan(data))
    y = data[units, raters]
    n_units, n_raters = data.shape

    def contr_sum(index, levels):
        x = np.zeros((len(index), levels - 1))
        for row, level in enumerate(index):
            if level == levels - 1:
                x[row, :] = -1
            else:
                x[row, level] = 1
        return x

    design = np.hstack([np.ones((len(y), 1)), contr_sum(units, n_units), contr_sum(raters, n_raters)])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    sigma2 = resid @ resid / (len(y) - design.shape[1])
    cov = sigma2 * np.linalg.inv(design.T @ design)
    k = 1 + (n_units - 1)
    rater_effects = np.append(beta[k:], -beta[k:].sum())  # effect on the score = -severity
    contrast = np.vstack([np.eye(n_raters - 1), -np.ones(n_raters - 1)])
    se = np.sqrt(np.diag(contrast @ cov[k:, k:] @ contrast.T))
    frame = pd.DataFrame({"candidate": units, "juror": raters, "criterion": 0, "score": y})
    table = st.juror_severity(frame)
    assert table["severity"].to_numpy() == pytest.approx(-rater_effects, abs=1e-10)
    assert table["se"].to_numpy() == pytest.approx(se, abs=1e-10)
    assert table.attrs["residual_df"] == 115


def test_cohort_severity_per_bloc(ref, sample):
    per_bloc = st.cohort_severity(sample, ref, by="bloc")
    assert list(per_bloc.columns[:2]) == ["bloc", "juror"]
    assert sorted(per_bloc["bloc"].unique()) == [b.code for b in ref.blocs]
    assert per_bloc.groupby("bloc")["severity"].sum().abs().max() < 1e-12
    with pytest.raises(st.StatsError, match="needs the référentiel"):
        st.cohort_severity(sample, by="bloc")
