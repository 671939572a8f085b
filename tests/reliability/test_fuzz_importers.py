"""Bad files: mangled real vCard, CSV and .ics files never crash the importer, never hang it, name the
bad file (and record), and leave the journal exactly as it was when refused.

bench/fuzz_import.py runs the same checks on many more payloads.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.fuzzkit import MUTATIONS, Baseline, corpus_files, fmt_of

FILES = corpus_files()
EXAMPLES = 60  # per format; bench/fuzz_import.py runs thousands


_BASELINES: list[Baseline] = []


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Baseline:
    # One per process: under pytest-xdist (`make test`, --dist loadfile keeps this file on one worker)
    # module fixtures may be torn down between two tests of the file when the worker's queue runs dry,
    # and the count that test_zz checks must survive that.
    if not _BASELINES:
        _BASELINES.append(Baseline(tmp_path_factory.mktemp("fuzz")))
    return _BASELINES[0]


def _check(baseline: Baseline, data: st.DataObject, fmt: str) -> None:
    files = [p for p in FILES if fmt_of(p) == fmt]
    path = data.draw(st.sampled_from(files), label="file")
    mutation = data.draw(st.sampled_from(sorted(MUTATIONS)), label="mutation")

    def pick(low: int, high: int) -> int:
        return data.draw(st.integers(low, max(low, high)))

    payload = MUTATIONS[mutation](path.read_bytes(), pick)
    outcome = baseline.try_payload(f"mangled-{path.name}", payload)
    assert outcome.kind in ("accepted", "refused"), f"{mutation} of {path.name}: {outcome.kind}: {outcome.detail}"
    assert outcome.seconds < 30, f"{mutation} of {path.name} took {outcome.seconds:.1f} s"


_settings = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same payloads on every run: a failure is reproducible, the suite is not flaky
    database=None,
)


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("fmt", ["vcard", "csv", "ics"])
@_settings
@given(data=st.data())
def test_mangled_files_are_refused_cleanly_or_imported(baseline: Baseline, fmt: str, data: st.DataObject) -> None:
    _check(baseline, data, fmt)


def test_a_clean_refusal_keeps_the_journal_exactly(baseline: Baseline, tmp_path: Path) -> None:
    # The checker itself: a file cut off mid-record is refused with its name, and nothing changes.
    vcf = next(p for p in FILES if p.name == "vobject_vcard40_full.vcf")
    outcome = baseline.try_payload("cut.vcf", b"\xff\xfe\x00" + vcf.read_bytes()[:50])
    assert outcome.kind == "refused", outcome


def test_zz_the_fuzzing_really_ran(baseline: Baseline) -> None:
    # Runs after the three fuzz tests (same module, same baseline): each tried its examples.
    print(f"\nimporter fuzzing: {baseline.count} mangled files tried in this run")
    assert baseline.count >= 3 * EXAMPLES
