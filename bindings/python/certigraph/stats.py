"""Jury-quality statistics: inter-rater agreement and juror severity (docs/stats.md).

    import certigraph.stats as st
    st.krippendorff_alpha(data, metric="ordinal")      # units x raters, NaN = missing
    st.juror_severity(frame)                           # candidate, juror, criterion, score
    st.cohort_agreement(cohort, referentiel, by="criterion")

Arrays in are numpy arrays (or anything numpy converts, pandas frames included);
tables out are pandas DataFrames. Every function is the C++ one of
``certigraph::stats`` (same numbers, bit for bit).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _core
from ._core import DisconnectedDesignError, StatsError  # noqa: F401  (re-exported)

_s = _core._stats

__all__ = [
    "DisconnectedDesignError", "StatsError", "cohen_kappa", "cohen_kappa_table", "cohort_agreement",
    "cohort_severity", "conger_kappa", "fleiss_kappa", "fleiss_kappa_raw", "gwet_ac", "icc", "icc_table",
    "irr_weights", "juror_severity", "kendall_w", "krippendorff_alpha", "percent_agreement",
]

Weights = Union[None, str, np.ndarray, Sequence[Sequence[float]]]


def _matrix(data, what: str) -> np.ndarray:
    array = np.asarray(data, dtype=np.float64)
    if array.ndim != 2:
        raise StatsError(f"{what}: a {array.ndim}-dimensional array; pass a 2-dimensional units x raters array "
                         "(NaN = missing)")
    return np.ascontiguousarray(array)


def _weights(weights: Weights):
    if weights is None or isinstance(weights, str):
        return weights
    return _matrix(weights, "weights")


def _categories(categories) -> Optional[list]:
    return None if categories is None else [float(c) for c in categories]


def krippendorff_alpha(data, metric: str = "interval", *, detail: bool = False):
    """Krippendorff's alpha of a units x raters array (NaN = missing).

    metric: "nominal", "ordinal", "interval" or "ratio". Units with fewer than two
    values are unpairable and left out. With detail=True, a dict with Do, De and the
    numbers of pairable values and units.
    """
    result = _s.alpha(_matrix(data, "krippendorff_alpha"), metric)
    return result if detail else result["alpha"]


def fleiss_kappa(counts, *, detail: bool = False):
    """Fleiss' kappa from a subjects x categories array of counts (equal row sums).

    With detail=True, a dict with the observed and chance agreement, z, p and the
    per-category kappas.
    """
    result = _s.fleiss_counts(_matrix(counts, "fleiss_kappa"))
    return result if detail else result["kappa"]


def fleiss_kappa_raw(data, categories: Optional[Sequence[float]] = None, *, detail: bool = False):
    """Fleiss' kappa from raw marks (subjects x raters, every mark present).

    categories: the category set (an unused category still counts); default the values seen.
    """
    result = _s.fleiss_raw(_matrix(data, "fleiss_kappa_raw"), _categories(categories))
    return result if detail else result["kappa"]


def conger_kappa(data, categories: Optional[Sequence[float]] = None) -> float:
    """Conger's exact kappa (rater-specific marginals; irr's kappam.fleiss(exact=TRUE))."""
    return _s.conger(_matrix(data, "conger_kappa"), _categories(categories))


def cohen_kappa(a, b, *, weights: Weights = None, categories: Optional[Sequence[float]] = None,
                detail: bool = False):
    """Cohen's kappa of two raters' marks (pairs with a NaN are left out).

    weights: None, "linear", "quadratic" or a q x q matrix of agreement weights (1 on
    the diagonal). categories: the ordered category set; an unused category keeps its
    place in the weights. Default: the values seen, ascending.
    """
    a = np.ascontiguousarray(np.asarray(a, dtype=np.float64).ravel())
    b = np.ascontiguousarray(np.asarray(b, dtype=np.float64).ravel())
    result = _s.cohen(a, b, _weights(weights), _categories(categories))
    return result if detail else result["kappa"]


def cohen_kappa_table(table, *, weights: Weights = None, detail: bool = False):
    """Cohen's kappa from a q x q contingency table (rows: rater 1)."""
    result = _s.cohen_table(_matrix(table, "cohen_kappa_table"), _weights(weights))
    return result if detail else result["kappa"]


def irr_weights(disagreement: Sequence[float]) -> np.ndarray:
    """The agreement-weight matrix of R irr's numeric `weight` vector (disagreement by distance)."""
    return _s.irr_weights([float(d) for d in disagreement])


def gwet_ac(data, *, categories: Optional[Sequence[float]] = None, weights: Weights = None,
            detail: bool = False):
    """Gwet's AC1 (weights=None) or AC2 of a units x raters array (NaN = missing)."""
    result = _s.gwet(_matrix(data, "gwet_ac"), _categories(categories), _weights(weights))
    return result if detail else result["coefficient"]


def icc_table(data, *, confidence: float = 0.95):
    """The six Shrout-Fleiss ICC forms of a targets x judges array, as a DataFrame.

    Columns: form, description, icc, F, df1, df2, p_value, lower, upper. Targets with a
    missing mark are left out (the frame's attrs["dropped"] says how many).
    """
    import pandas as pd

    result = _s.icc(_matrix(data, "icc"), confidence)
    frame = pd.DataFrame(result["forms"]).set_index("form")
    frame.attrs.update(targets=result["targets"], judges=result["judges"], dropped=result["dropped"])
    return frame


def icc(data, form: str = "ICC(2,1)") -> float:
    """One ICC form ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")."""
    forms = _s.icc(_matrix(data, "icc"), 0.95)["forms"]
    key = form.replace(" ", "").upper().replace("K", "k")
    for f in forms:
        if f["form"] == key:
            return f["icc"]
    raise StatsError(f"ICC form '{form}': use ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k) or ICC(3,k)")


def kendall_w(data, tie_correction: bool = True, *, detail: bool = False):
    """Kendall's W of an objects x judges array (each judge's marks ranked, mid-ranks).

    With detail=True, a dict with the chi-square, its df and p.
    """
    result = _s.kendall(_matrix(data, "kendall_w"), bool(tie_correction))
    return result if detail else result["W"]


def percent_agreement(data, *, tolerance: float = 0.0) -> dict:
    """Share of units whose marks all agree, and share of agreeing pairs."""
    return _s.percent(_matrix(data, "percent_agreement"), float(tolerance))


def _codes(series):
    import pandas as pd

    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.uint32), [str(u) for u in uniques]


def _severity_frame(result: dict, juror_names, model: str):
    import pandas as pd

    columns = {
        "juror": [juror_names[i] for i in result["juror"]],
        "severity": result["severity"],
        "se": result["se"],
        "z": result["z"],
        "p_value": result["p_value"],
        "observations": result["observations"],
        "flagged": result["flagged"],
        "reason": result["reason"],
    }
    if model == "rasch":
        columns["infit"] = result["infit"]
        columns["outfit"] = result["outfit"]
    frame = pd.DataFrame(columns)
    frame.attrs.update({k: v for k, v in result.items()
                        if k in ("mu", "sigma", "residual_df", "thresholds", "converged", "iterations",
                                 "extreme_candidates")})
    return frame


def juror_severity(frame, model: str = "additive", *, alpha: float = 0.05):
    """Juror severity from a long DataFrame with columns candidate, juror, criterion, score.

    model="additive": least squares score = mu + candidate + criterion - severity;
    model="rasch": many-facet Rasch rating-scale model (whole-number scores).
    Returns one row per juror: juror, severity (> 0: harsher), se, z, p_value,
    observations, flagged, reason (and infit, outfit for Rasch). Rows with a missing
    score are left out. A disconnected design raises DisconnectedDesignError.
    """
    missing = [c for c in ("candidate", "juror", "score") if c not in frame.columns]
    if missing:
        raise StatsError(f"juror_severity: the frame lacks column(s) {', '.join(missing)}; "
                         "pass a long frame with candidate, juror, criterion, score")
    frame = frame[frame["score"].notna()]
    candidate, candidate_names = _codes(frame["candidate"])
    juror, juror_names = _codes(frame["juror"])
    if "criterion" in frame.columns:
        criterion, _ = _codes(frame["criterion"])
    else:
        criterion = np.zeros(len(frame), dtype=np.uint32)
    score = np.ascontiguousarray(frame["score"].to_numpy(dtype=np.float64))
    result = _s.severity(candidate, juror, criterion, score, model, float(alpha), juror_names, candidate_names)
    return _severity_frame(result, juror_names, model)


def cohort_agreement(cohort, referentiel, *, by: str = "criterion", metric: str = "interval"):
    """Agreement of the juror slots of a cohort per criterion, épreuve or bloc, in one call.

    Returns a DataFrame indexed by code with alpha, observed/expected disagreement,
    pairable values and units, exact_agreement (share of units whose marks are all
    equal) and mean_abs_difference. Absent and exempt slots count as missing.
    """
    import pandas as pd

    rows = _s.cohort_agreement(referentiel, cohort, by, metric)
    frame = pd.DataFrame(rows).set_index("code")
    frame.index.name = "epreuve" if by in ("epreuve", "épreuve") else by
    return frame[["alpha", "observed_disagreement", "expected_disagreement", "pairable_values",
                  "pairable_units", "units", "exact_agreement", "mean_abs_difference"]]


def cohort_severity(cohort, referentiel=None, model: str = "additive", *, by: Optional[str] = None,
                    alpha: float = 0.05):
    """Juror severity over the marks of a cohort (jurors as named in its evaluations
    file, else its slots "slot 1", "slot 2"...).

    by=None: one fit over every mark. by="criterion", "epreuve" or "bloc" (needs the
    référentiel): one fit per level, as one frame with a first column named after the
    level; a level whose fit fails (disconnected, too few marks) has no rows and its
    reason in frame.attrs["errors"][code].
    """
    import pandas as pd

    if by is None:
        candidate, juror, criterion, score, names = _s.cohort_observations(cohort)
        candidate_names = list(cohort.candidates) if cohort.rows <= 100_000 else []
        result = _s.severity(candidate, juror, criterion, score, model, float(alpha), names, candidate_names)
        return _severity_frame(result, names, model)
    if referentiel is None:
        raise StatsError(f"cohort_severity(by={by!r}) needs the référentiel: cohort_severity(cohort, referentiel, by=...)")
    rows, names = _s.cohort_severity(referentiel, cohort, by, model, float(alpha))
    frames, errors = [], {}
    for code, result, error in rows:
        if error:
            errors[code] = error
            continue
        frame = _severity_frame(result, names, model)
        frame.insert(0, by, code)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs = {"errors": errors}
    return out


def _long_frame(cohort, referentiel) -> Any:
    """The cohort's marks as a long frame candidate, juror, criterion, score."""
    import pandas as pd

    candidate, juror, criterion, score, names = _s.cohort_observations(cohort)
    codes = [c.code for c in referentiel.criteria] if referentiel is not None else None
    return pd.DataFrame({
        "candidate": np.asarray(cohort.candidates, dtype=object)[candidate],
        "juror": np.asarray(names, dtype=object)[juror],
        "criterion": np.asarray(codes, dtype=object)[criterion] if codes else criterion,
        "score": score,
    })
