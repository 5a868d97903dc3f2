"""The iCalendar writer: escaping, folding at 75 octets, CRLF, all-day events (RFC 5545)."""

import datetime as dt

from lokalkomp.schemes import ical

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def test_text_values_escape_backslash_semicolon_comma_and_newlines():
    assert (
        ical.escape("Digitalt; Teams, eller fysisk\\Bodø\nrom 2") == "Digitalt\\; Teams\\, eller fysisk\\\\Bodø\\nrom 2"
    )


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "æøå " * 40
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line  # unfolding gives the line back


def test_an_all_day_event_ends_the_day_after_its_last_day():
    event = ical.Event("milestone-7@lokalkomp", dt.date(2024, 3, 13), dt.date(2024, 3, 14), "Innstillingsmøte")
    text = ical.calendar("lokalkomp", [event], now=NOW)
    assert "DTSTART;VALUE=DATE:20240313\r\n" in text
    assert "DTEND;VALUE=DATE:20240315\r\n" in text
    assert "DTSTAMP:20261122T090000Z\r\n" in text
    assert "UID:milestone-7@lokalkomp\r\n" in text


def test_every_line_ends_with_crlf_and_the_calendar_is_complete():
    text = ical.calendar("lokalkomp", [], now=NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
