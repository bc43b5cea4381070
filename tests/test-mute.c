/* test-mute.c: how long "Mute Notifications" lasts, across changes of clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-mute.h"

static void
assert_morning (GTimeZone  *zone,
                int         year,
                int         month,
                int         day,
                int         hour,
                int         minute,
                const char *expected)
{
  g_autoptr(GDateTime) now = g_date_time_new (zone, year, month, day, hour, minute, 0);
  g_autoptr(GDateTime) morning = downbeat_mute_tomorrow_morning (now);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (morning);
  g_autofree char *text = g_date_time_format_iso8601 (utc);

  g_assert_cmpstr (text, ==, expected);
  /* Still in the zone it was asked in: the window says it in local time. */
  g_assert_cmpint (g_date_time_get_hour (morning), ==, 8);
}

static void
test_tomorrow_morning (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");

  g_assert_nonnull (berlin);
  /* An ordinary evening: 08:00 CET is 07:00 UTC. */
  assert_morning (berlin, 2026, 12, 3, 18, 30, "2026-12-04T07:00:00Z");
  /* Into summer time (29 March 2026, 02:00 → 03:00): 9 hours, not 10. */
  assert_morning (berlin, 2026, 3, 28, 23, 0, "2026-03-29T06:00:00Z");
  /* Out of it (25 October 2026, 03:00 → 02:00): 11 hours, not 10. */
  assert_morning (berlin, 2026, 10, 24, 22, 0, "2026-10-25T07:00:00Z");
  /* Up after midnight, before 04:00: the morning of this day. */
  assert_morning (berlin, 2026, 3, 29, 1, 30, "2026-03-29T06:00:00Z");
  assert_morning (berlin, 2026, 10, 25, 2, 30, "2026-10-25T07:00:00Z");
  assert_morning (berlin, 2026, 12, 4, 3, 59, "2026-12-04T07:00:00Z");
  /* From 04:00, even at 07:59, the next day's. */
  assert_morning (berlin, 2026, 12, 4, 4, 0, "2026-12-05T07:00:00Z");
  assert_morning (berlin, 2026, 12, 4, 7, 59, "2026-12-05T07:00:00Z");
  assert_morning (berlin, 2026, 12, 31, 20, 0, "2027-01-01T07:00:00Z");
  assert_morning (berlin, 2028, 2, 28, 12, 0, "2028-02-29T07:00:00Z");
}

static void
test_choices (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  /* An hour before summer time: "4 hours" is 4 hours, though the clock says 5 later. */
  g_autoptr(GDateTime) now = g_date_time_new (berlin, 2026, 3, 29, 1, 0, 0);
  g_autoptr(GDateTime) hour = downbeat_mute_until ("1h", now);
  g_autoptr(GDateTime) four = downbeat_mute_until ("4h", now);
  g_autoptr(GDateTime) morning = downbeat_mute_until ("tomorrow", now);
  g_autoptr(GDateTime) expected = downbeat_mute_tomorrow_morning (now);

  g_assert_cmpint (g_date_time_difference (hour, now), ==, G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_difference (four, now), ==, 4 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_hour (four), ==, 6);
  g_assert_true (g_date_time_equal (morning, expected));

  g_assert_null (downbeat_mute_until ("", now));
  g_assert_null (downbeat_mute_until ("1H", now));
  g_assert_null (downbeat_mute_until ("forever", now));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mute/tomorrow-morning", test_tomorrow_morning);
  g_test_add_func ("/mute/choices", test_choices);

  return g_test_run ();
}
