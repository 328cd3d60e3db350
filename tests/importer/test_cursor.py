from datetime import UTC, datetime, timedelta, timezone

from importer.cursor import PollWindow, advanced_cursor, next_window, resumable_window

CONNECTED = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, 0, 654321, tzinfo=UTC)
OVERLAP = timedelta(seconds=60)
LAG = timedelta(seconds=150)


def test_the_first_window_starts_when_the_store_was_connected_and_stays_out_of_the_last_minutes():
    # when
    window = next_window(
        updated_after=None, connected_at=CONNECTED, now=NOW, overlap=OVERLAP, lag=LAG
    )

    # then
    assert window == PollWindow(
        updated_after=datetime(2025, 12, 31, 23, 59, tzinfo=UTC),
        updated_before=datetime(2026, 6, 1, 11, 57, 30, tzinfo=UTC),
    )
    assert NOW - window.updated_before >= timedelta(minutes=2)


def test_a_lag_configured_under_two_minutes_still_ends_the_window_two_minutes_back():
    # when
    window = next_window(
        updated_after=None,
        connected_at=CONNECTED,
        now=NOW,
        overlap=OVERLAP,
        lag=timedelta(seconds=30),
    )

    # then
    assert window.updated_before == datetime(2026, 6, 1, 11, 58, tzinfo=UTC)


def test_a_later_window_starts_at_the_cursor_with_a_small_overlap():
    # given
    cursor = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)

    # when
    window = next_window(
        updated_after=cursor, connected_at=CONNECTED, now=NOW, overlap=OVERLAP, lag=LAG
    )

    # then
    assert window.updated_after == datetime(2026, 6, 1, 10, 59, tzinfo=UTC)
    assert window.updated_before == datetime(2026, 6, 1, 11, 57, 30, tzinfo=UTC)


def test_a_poll_right_after_the_last_one_asks_for_nothing():
    # given
    cursor = datetime(2026, 6, 1, 11, 59, tzinfo=UTC)

    # when
    window = next_window(
        updated_after=cursor, connected_at=CONNECTED, now=NOW, overlap=OVERLAP, lag=LAG
    )

    # then
    assert window is None


def test_a_window_in_another_time_zone_is_asked_in_utc():
    # given
    now = datetime(2026, 6, 1, 16, 0, tzinfo=timezone(timedelta(hours=2)))

    # when
    window = next_window(
        updated_after=None, connected_at=CONNECTED, now=now, overlap=OVERLAP, lag=LAG
    )

    # then
    assert window.updated_before.tzinfo is UTC
    assert window.updated_before == datetime(2026, 6, 1, 13, 57, 30, tzinfo=UTC)


def test_a_half_read_window_is_resumed_while_its_token_is_fresh():
    # given
    after, before = datetime(2026, 6, 1, 9, tzinfo=UTC), datetime(2026, 6, 1, 10, tzinfo=UTC)

    # when
    fresh = resumable_window(
        window_after=after,
        window_before=before,
        next_token="abc",
        token_issued_at=NOW - timedelta(hours=1),
        wall_now=NOW,
    )
    stale = resumable_window(
        window_after=after,
        window_before=before,
        next_token="abc",
        token_issued_at=NOW - timedelta(hours=23, minutes=1),
        wall_now=NOW,
    )

    # then
    assert fresh == PollWindow(after, before, "abc")
    assert stale is None


def test_the_cursor_ends_at_amazons_end_of_the_window_never_later_never_backwards():
    # given
    window = PollWindow(datetime(2026, 6, 1, 9, tzinfo=UTC), datetime(2026, 6, 1, 10, tzinfo=UTC))
    earlier = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    later = datetime(2026, 6, 1, 10, 30, tzinfo=UTC)

    # when / then
    assert advanced_cursor(current=None, window=window, amazon_end=earlier) == earlier
    assert advanced_cursor(current=None, window=window, amazon_end=later) == window.updated_before
    assert advanced_cursor(current=None, window=window, amazon_end=None) == window.updated_before
    assert advanced_cursor(current=later, window=window, amazon_end=earlier) == later
