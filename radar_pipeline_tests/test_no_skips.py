"""The no-skips plugin: every way of skipping becomes a failure that names its reason."""

from __future__ import annotations

import pytest

PLUGIN = ["-p", "radar_pipeline_tests.no_skips", "-p", "no:cacheprovider", "-rs"]


def test_every_kind_of_skip_fails_with_its_reason(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        def test_passes():
            pass

        def test_skip_call():
            pytest.skip("no server here")

        @pytest.mark.skip(reason="marked away")
        def test_skip_mark():
            pass

        @pytest.mark.skipif(True, reason="conditionally away")
        def test_skipif_mark():
            pass

        @pytest.fixture
        def server():
            pytest.skip("fixture found nothing")

        def test_skip_in_fixture(server):
            pass

        @pytest.mark.xfail(reason="known bug", strict=True)
        def test_expected_failure():
            assert False
        """
    )
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1, failed=1, errors=3, xfailed=1, skipped=0)  # marks act at setup
    for reason in ("no server here", "marked away", "conditionally away", "fixture found nothing"):
        result.stdout.fnmatch_lines([f"*{reason}*skipped tests are failures*"])
    assert "skipped" not in result.stdout.lines[-1]


def test_a_module_level_skip_fails_the_collection(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest

        pytest.skip("module has nothing to test", allow_module_level=True)

        def test_never_runs():
            pass
        """
    )
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(errors=1, skipped=0)
    result.stdout.fnmatch_lines(["*module has nothing to test*skipped tests are failures*"])
    assert result.ret != 0


def test_without_the_plugin_the_same_skips_pass_silently(pytester: pytest.Pytester):
    """The control: the failures above come from the plugin, not from pytest itself."""
    pytester.makepyfile(
        """
        import pytest

        def test_skip_call():
            pytest.skip("no server here")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    assert result.ret == 0
