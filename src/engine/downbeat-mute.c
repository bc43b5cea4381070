/* downbeat-mute.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-mute"

#include "config.h"

#include "downbeat-mute.h"

#define MORNING_HOUR 8
/* Up before this hour, one has not slept yet: "tomorrow morning" is this day's. */
#define NIGHT_ENDS_HOUR 4

/**
 * downbeat_mute_tomorrow_morning:
 * @now: the time it is, in the time zone whose mornings count
 *
 * Returns: (transfer full): 08:00 of the next day in @now's time zone, or of this day before
 *   04:00 (docs/design.md, "Notifications")
 */
GDateTime *
downbeat_mute_tomorrow_morning (GDateTime *now)
{
  g_autoptr(GDate) day = NULL;
  int year, month, day_of_month;

  g_return_val_if_fail (now != NULL, NULL);

  g_date_time_get_ymd (now, &year, &month, &day_of_month);
  day = g_date_new_dmy (day_of_month, month, year);
  /* Days of the calendar, not 24 hours: a day with a change of clock lasts 23 or 25. */
  if (g_date_time_get_hour (now) >= NIGHT_ENDS_HOUR)
    g_date_add_days (day, 1);

  return g_date_time_new (g_date_time_get_timezone (now), g_date_get_year (day),
                          g_date_get_month (day), g_date_get_day (day), MORNING_HOUR, 0, 0);
}

/**
 * downbeat_mute_until:
 * @choice: "1h", "4h" or "tomorrow" (morning), as the `mute-for` action takes it
 * @now: the time it is, in local time
 *
 * Returns: (transfer full) (nullable): when notifications speak again, %NULL for a choice
 *   there is not
 */
GDateTime *
downbeat_mute_until (const char *choice,
                     GDateTime  *now)
{
  g_return_val_if_fail (choice != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (g_str_equal (choice, "1h"))
    return g_date_time_add_hours (now, 1);
  if (g_str_equal (choice, "4h"))
    return g_date_time_add_hours (now, 4);
  if (g_str_equal (choice, "tomorrow"))
    return downbeat_mute_tomorrow_morning (now);
  return NULL;
}
