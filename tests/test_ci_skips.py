"""A test whose tool is missing skips on a developer machine and fails in CI, where the tool must be."""

from __future__ import annotations

import pytest

from tests.conftest import require, require_tool


def test_a_missing_tool_skips_locally_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-tool-x is not installed \(apt-get install pkg-x"):
        require_tool("no-such-tool-x", "pkg-x")


def test_a_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test"):
        require_tool("no-such-tool-x", "pkg-x")
    with pytest.raises(pytest.fail.Exception, match="no CJK font"):
        require([], "no CJK font", "apt-get install fonts-wqy-microhei")


def test_a_present_tool_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_tool("sh", "dash").endswith("sh")
