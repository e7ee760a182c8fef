"""The C++ exception hierarchy, mapped (pairs with bindings/src/register_errors.cpp)."""
from __future__ import annotations

import pytest

import certigraph as cg
from conftest import DATA


@pytest.mark.parametrize("name", ["IoError", "ParseError", "InvalidReferentielError", "NotFoundError",
                                  "SerializationError", "GradingError", "InvalidInputError"])
def test_every_error_is_a_certigraph_error(name):
    assert issubclass(getattr(cg, name), cg.Error)


def test_messages_pass_unchanged():
    truncated = DATA / "referentiels" / "malformed" / "truncated.json"
    with pytest.raises(cg.ParseError, match=r"truncated\.json:\d+:\d+: malformed JSON"):
        cg.Referentiel.load(str(truncated))
    with pytest.raises(cg.IoError, match="cannot open"):
        cg.Referentiel.load("/nonexistent/r.json")
    with pytest.raises(cg.SerializationError, match="newer certigraph"):
        cg.Referentiel.load(str(DATA / "archives" / "tiny_v99.txt"))
    with pytest.raises(cg.ParseError, match="at /format_version: format_version 9 is newer"):
        cg.Policy.from_json('{"format": "certigraph/policy", "format_version": 9}')


def test_policy_that_does_not_fit(ref):
    tiny = cg.Referentiel.load(str(DATA / "referentiels" / "tiny.json"))
    policy = cg.Policy.from_json(
        '{"format": "certigraph/policy", "format_version": 1, "referentiel": "RNCP40514",'
        ' "scales": {"n": {"kind": "numeric", "min": 0, "max": 20, "pass_mark": 10}}, "default_scale": "n"}')
    with pytest.raises(cg.GradingError, match="written for 'RNCP40514', not for TEST1"):
        cg.Grader(tiny, policy)
