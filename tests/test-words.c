/* test-words.c: durations, times and lists in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "downbeat-words.h"

/* A passing attempt in a few words: its HTTP status, or for the handshake, which has none, what
 * made it pass. */
static void
test_answer (void)
{
  g_autofree char *http = downbeat_words_answer (401);
  g_autofree char *handshake = downbeat_words_answer (0);

  g_assert_cmpstr (http, ==, "HTTP 401");
  g_assert_cmpstr (handshake, ==, "signed answer");
}

static void
test_duration (void)
{
  static const struct {
    GTimeSpan   span;
    const char *words;
  } rows[] = {
    { -5 * G_TIME_SPAN_SECOND, "less than a minute" },
    { 0, "less than a minute" },
    { 59 * G_TIME_SPAN_SECOND, "less than a minute" },
    { G_TIME_SPAN_MINUTE, "1 minute" },
    { 12 * G_TIME_SPAN_MINUTE + 40 * G_TIME_SPAN_SECOND, "12 minutes" },
    { G_TIME_SPAN_HOUR, "1 hour" },
    { 72 * G_TIME_SPAN_MINUTE, "1 hour 12 minutes" },
    { 61 * G_TIME_SPAN_MINUTE, "1 hour 1 minute" },
    { 2 * G_TIME_SPAN_HOUR + 59 * G_TIME_SPAN_MINUTE, "2 hours 59 minutes" },
    { G_TIME_SPAN_DAY, "1 day" },
    { G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE, "1 day 1 hour" },
    { 3 * G_TIME_SPAN_DAY + 5 * G_TIME_SPAN_HOUR, "3 days 5 hours" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *words = downbeat_words_duration (rows[i].span);

      g_assert_cmpstr (words, ==, rows[i].words);
    }
}

static void
test_checked_ago (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 14, 5, 30);
  g_autoptr(GDateTime) just = g_date_time_add_seconds (now, -40);
  g_autoptr(GDateTime) one = g_date_time_add_seconds (now, -61);
  g_autoptr(GDateTime) some = g_date_time_add_minutes (now, -59);
  g_autoptr(GDateTime) future = g_date_time_add_minutes (now, 3);
  g_autoptr(GDateTime) long_ago = g_date_time_add_hours (now, -2);
  g_autofree char *a = downbeat_words_checked_ago (just, now);
  g_autofree char *b = downbeat_words_checked_ago (one, now);
  g_autofree char *c = downbeat_words_checked_ago (some, now);
  g_autofree char *d = downbeat_words_checked_ago (future, now);
  g_autofree char *e = downbeat_words_checked_ago (long_ago, now);

  g_assert_cmpstr (a, ==, "checked just now");
  g_assert_cmpstr (b, ==, "checked 1 minute ago");
  g_assert_cmpstr (c, ==, "checked 59 minutes ago");
  g_assert_cmpstr (d, ==, "checked just now");
  /* TZ=UTC in the test environment */
  g_assert_cmpstr (e, ==, "checked at 12:05");
}

static void
test_join (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;

  g_ptr_array_add (items, "Login");
  one = downbeat_words_join (items);
  g_ptr_array_add (items, "Web API");
  two = downbeat_words_join (items);
  g_ptr_array_add (items, "Web player");
  three = downbeat_words_join (items);

  g_assert_cmpstr (one, ==, "Login");
  g_assert_cmpstr (two, ==, "Login and Web API");
  g_assert_cmpstr (three, ==, "Login, Web API and Web player");
}

static void
test_lead (void)
{
  g_autoptr(GDateTime) noticed = g_date_time_new_utc (2026, 11, 28, 10, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (noticed, 14);
  g_autoptr(GDateTime) earlier = g_date_time_add_minutes (noticed, -3);
  g_autofree char *ahead = downbeat_words_lead ("Spotify", noticed, later, FALSE);
  g_autofree char *behind = downbeat_words_lead ("Spotify", noticed, earlier, TRUE);
  g_autofree char *together = downbeat_words_lead ("Spotify", noticed, noticed, TRUE);
  g_autofree char *not_yet = downbeat_words_lead ("Spotify", noticed, NULL, FALSE);
  g_autofree char *never = downbeat_words_lead ("Spotify", noticed, NULL, TRUE);
  g_autofree char *unseen = downbeat_words_lead ("Spotify", NULL, later, TRUE);

  g_assert_cmpstr (ahead, ==, "Downbeat noticed this 14 minutes before Spotify's status page");
  g_assert_cmpstr (behind, ==,
                   "Downbeat confirmed this 3 minutes after Spotify's status page acknowledged it");
  g_assert_cmpstr (together, ==,
                   "Spotify's status page acknowledged this as soon as Downbeat noticed it");
  g_assert_cmpstr (not_yet, ==, "Spotify's status page has not acknowledged this yet");
  g_assert_cmpstr (never, ==, "Spotify's status page never acknowledged this");
  g_assert_null (unseen);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/words/duration", test_duration);
  g_test_add_func ("/words/answer", test_answer);
  g_test_add_func ("/words/checked-ago", test_checked_ago);
  g_test_add_func ("/words/join", test_join);
  g_test_add_func ("/words/lead", test_lead);

  return g_test_run ();
}
