"""Shared fixtures: the example référentiel, policy and sample cohort of the repository."""
from __future__ import annotations

import pathlib

import numpy as np
import pytest

import certigraph as cg

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def ref() -> cg.Referentiel:
    return cg.Referentiel.load(str(EXAMPLES / "referentiels" / "rncp40514.json"))


@pytest.fixture(scope="session")
def policy() -> cg.Policy:
    return cg.Policy.load(str(EXAMPLES / "policies" / "rncp40514-default.json"))


@pytest.fixture(scope="session")
def sample(ref, policy) -> cg.Cohort:
    return cg.read_evaluations(ref, EXAMPLES / "cohorts" / "rncp40514-sample.csv", policy=policy)


def synthetic_scores(rows: int, criteria: int = 30, jurors: int = 2, seed: int = 40514) -> np.ndarray:
    """A realistic cohort: candidate level, criterion difficulty, juror severity, noise, half points."""
    rng = np.random.default_rng(seed)
    level = rng.normal(11.5, 3.0, size=(rows, 1, 1))
    difficulty = rng.normal(0.0, 1.5, size=(1, criteria, 1))
    severity = rng.normal(0.0, 1.0, size=(1, 1, jurors))
    values = level - difficulty - severity + rng.normal(0.0, 1.5, size=(rows, criteria, jurors))
    values = np.round(np.clip(values, 0, 20) * 2) / 2
    values[rng.random(values.shape) < 0.02] = np.nan
    return values.astype(np.float32)
