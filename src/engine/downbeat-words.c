/* downbeat-words.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-words"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-words.h"

static char *
two_parts (char *larger,
           char *smaller)
{
  g_autofree char *a = larger;
  g_autofree char *b = smaller;

  /* Translators: a duration in two parts, "1 hour" and "12 minutes" */
  return g_strdup_printf (C_("duration", "%s %s"), a, b);
}

/**
 * downbeat_words_duration:
 * @span: how long, not negative
 *
 * Returns: (transfer full): "less than a minute", "12 minutes", "1 hour 12 minutes",
 *   "2 days 3 hours": to the minute under a day, to the hour beyond
 */
char *
downbeat_words_duration (GTimeSpan span)
{
  guint minutes = MIN (MAX (span, 0) / G_TIME_SPAN_MINUTE, G_MAXUINT);
  guint hours = minutes / 60;
  guint days = hours / 24;
  char *larger;
  char *smaller;

  if (minutes == 0)
    return g_strdup (_("less than a minute"));

  if (hours == 0)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes), minutes);

  if (days == 0)
    {
      larger = g_strdup_printf (ngettext ("%u hour", "%u hours", hours), hours);
      if (minutes % 60 == 0)
        return larger;
      smaller = g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes % 60), minutes % 60);
    }
  else
    {
      larger = g_strdup_printf (ngettext ("%u day", "%u days", days), days);
      if (hours % 24 == 0)
        return larger;
      smaller = g_strdup_printf (ngettext ("%u hour", "%u hours", hours % 24), hours % 24);
    }

  return two_parts (larger, smaller);
}

/**
 * downbeat_words_checked_ago:
 *
 * Returns: (transfer full): "checked just now", "checked 2 minutes ago", "checked at 14:05"
 */
char *
downbeat_words_checked_ago (GDateTime *checked_at,
                            GDateTime *now)
{
  GTimeSpan ago;
  guint minutes;

  g_return_val_if_fail (checked_at != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  ago = g_date_time_difference (now, checked_at);
  minutes = MIN (MAX (ago, 0) / G_TIME_SPAN_MINUTE, G_MAXUINT);

  if (minutes == 0)
    return g_strdup (_("checked just now"));
  if (minutes < 60)
    return g_strdup_printf (ngettext ("checked %u minute ago", "checked %u minutes ago", minutes),
                            minutes);

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (checked_at);
    /* Translators: a time of day in strftime format, "checked at 14:05" */
    g_autofree char *time = g_date_time_format (local, _("%H:%M"));

    return g_strdup_printf (_("checked at %s"), time);
  }
}

/**
 * downbeat_words_day_and_time:
 *
 * Returns: (transfer full): @time in local time, "14:05" today, "Nov 18, 14:05" another day
 */
char *
downbeat_words_day_and_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day today, in strftime format */
    return g_date_time_format (local, _("%H:%M"));
  /* Translators: a day and a time, in strftime format, "Nov 18, 14:05" */
  return g_date_time_format (local, _("%b %-d, %H:%M"));
}

/**
 * downbeat_words_join:
 * @items: (element-type utf8): names, at least one
 *
 * Returns: (transfer full): "Login", "Login and Web API", "Login, Web API and Web player"
 */
char *
downbeat_words_join (GPtrArray *items)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (items != NULL && items->len > 0, NULL);

  joined = g_strdup (g_ptr_array_index (items, 0));
  for (guint i = 1; i < items->len; i++)
    {
      g_autofree char *head = g_steal_pointer (&joined);
      const char *item = g_ptr_array_index (items, i);

      if (i + 1 < items->len)
        /* Translators: joins the items of a list but the last, "Login, Web API" */
        joined = g_strdup_printf (_("%s, %s"), head, item);
      else
        /* Translators: joins the last item of a list, "Login and Web API" */
        joined = g_strdup_printf (_("%s and %s"), head, item);
    }

  return g_steal_pointer (&joined);
}

/**
 * downbeat_words_lead:
 * @service: "Spotify"
 * @noticed: (nullable): when this computer first confirmed the problem
 * @acknowledged: (nullable): when the service's status page first acknowledged it
 * @over: whether the problem has ended
 *
 * Returns: (transfer full) (nullable): how far ahead of the status page Downbeat was, "Downbeat
 *   noticed this 14 minutes before Spotify's status page", or that the page has not, or never,
 *   said so; %NULL when this computer never confirmed the problem
 */
char *
downbeat_words_lead (const char *service,
                     GDateTime  *noticed,
                     GDateTime  *acknowledged,
                     gboolean    over)
{
  g_autofree char *lead = NULL;
  GTimeSpan span;

  g_return_val_if_fail (service != NULL, NULL);

  if (noticed == NULL)
    return NULL;

  if (acknowledged == NULL)
    /* Translators: %s is the service, "Spotify" */
    return g_strdup_printf (over ? _("%s's status page never acknowledged this")
                                 : _("%s's status page has not acknowledged this yet"),
                            service);

  span = g_date_time_difference (acknowledged, noticed);
  if (span == 0)
    /* Translators: %s is the service, "Spotify" */
    return g_strdup_printf (_("%s's status page acknowledged this as soon as Downbeat noticed it"),
                            service);

  lead = downbeat_words_duration (ABS (span));
  if (span > 0)
    /* Translators: the first %s is a duration, "14 minutes"; the second the service, "Spotify" */
    return g_strdup_printf (_("Downbeat noticed this %s before %s's status page"), lead, service);

  /* Translators: the first %s is a duration, "14 minutes"; the second the service, "Spotify" */
  return g_strdup_printf (_("Downbeat confirmed this %s after %s's status page acknowledged it"),
                          lead, service);
}

/**
 * downbeat_words_answer:
 * @http_status: a passing attempt's HTTP status; 0 for the access points' handshake, which
 *   has none
 *
 * Returns: (transfer full): what the answer was, in a few words: "HTTP 401", "signed answer"
 */
char *
downbeat_words_answer (guint http_status)
{
  if (http_status == 0)
    /* Translators: an access point of Spotify's answered with a challenge signed by Spotify */
    return g_strdup (_("signed answer"));
  return g_strdup_printf (_("HTTP %u"), http_status);
}
