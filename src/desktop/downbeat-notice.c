/* downbeat-notice.c: when the incident's notification is raised, updated or withdrawn, and
 * what it says; docs/design.md, "Notifications". No notification server here: the notifier
 * (downbeat-notifier.c) delivers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-notifier"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "downbeat-notifier-private.h"
#include "downbeat-report-words.h"
#include "downbeat-words.h"

static void
end_sentence (GString *body)
{
  if (body->len > 0 && strchr (".!?:", body->str[body->len - 1]) == NULL
      && !g_str_has_suffix (body->str, "…"))
    g_string_append_c (body, '.');
}

/* A line after a line that does not end a sentence ends it first: GNOME Shell's collapsed
 * banner shows the body on one line, where "Down for 5 minutes Spotify's status page…" would
 * read as one broken sentence. */
static void
append_line (GString    *body,
             const char *line)
{
  if (body->len > 0)
    {
      end_sentence (body);
      g_string_append_c (body, '\n');
    }
  g_string_append (body, line);
}

/* A body of sentences ends its last one too; a body of one line stays as short as it is
 * ("Down for 1 hour"), as a notification's body usually is. */
static char *
end_body (GString *body)
{
  if (strchr (body->str, '\n') != NULL)
    end_sentence (body);
  return g_string_free (body, FALSE);
}

static void
append_lines (GString   *body,
              GPtrArray *lines)
{
  g_autoptr(GPtrArray) owned = lines;

  for (guint i = 0; i < owned->len; i++)
    append_line (body, g_ptr_array_index (owned, i));
}

/* What counts and fails, what to do meanwhile ("Your connection is fine": it is not you), what
 * Spotify says, and once its page acknowledges the problem how long before it this computer
 * noticed: the lines that matter most first, as a server may cut the body (Plasma shows 8 lines
 * of a popup's). */
static char *
problem_body (DownbeatReport *report)
{
  GString *body = g_string_new (NULL);

  if (report->level != DOWNBEAT_LEVEL_MAINTENANCE)
    append_lines (body, downbeat_report_words_problems (report));
  for (guint i = 0; report->advice != NULL && report->advice[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("→ %s", report->advice[i]);

      append_line (body, line);
    }
  append_lines (body, downbeat_report_words_official (report));
  if (report->acknowledged_at != NULL)
    {
      g_autofree char *lead = downbeat_report_words_lead (report);

      if (lead != NULL)
        append_line (body, lead);
    }

  return end_body (body);
}

static char *
recovery_body (DownbeatNoticeState *state,
               DownbeatReport      *report)
{
  g_autofree char *duration = downbeat_words_duration (g_date_time_difference (report->checked_at,
                                                                               state->since));
  g_autofree char *lead = downbeat_words_lead (report->service_name, state->noticed,
                                               state->acknowledged, TRUE);
  GString *body = g_string_new (NULL);

  /* Taken up from an earlier run: it ended some time before this first check. */
  if (state->resumed && state->worst == DOWNBEAT_LEVEL_OUTAGE)
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Down for at most %s: it came back while Downbeat was not running"),
                     duration);
  else if (state->resumed)
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Had problems for at most %s: they ended while Downbeat was not "
                             "running"), duration);
  else if (state->worst == DOWNBEAT_LEVEL_OUTAGE)
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Down for %s"), duration);
  else
    /* Translators: %s is a duration, "1 hour 12 minutes" */
    g_string_printf (body, _("Had problems for %s"), duration);
  if (lead != NULL)
    append_line (body, lead);

  return end_body (body);
}

/* Kept from each report of the incident: the recovery's report no longer has them. */
static void
remember_lead (DownbeatNoticeState *state,
               DownbeatReport      *report)
{
  g_clear_pointer (&state->noticed, g_date_time_unref);
  g_clear_pointer (&state->acknowledged, g_date_time_unref);
  if (report->noticed_at != NULL)
    state->noticed = g_date_time_ref (report->noticed_at);
  if (report->acknowledged_at != NULL)
    state->acknowledged = g_date_time_ref (report->acknowledged_at);
}

static void
open_incident (DownbeatNoticeState *state,
               DownbeatReport      *report)
{
  state->incident = ++state->incidents;
  state->since = g_date_time_ref (report->checked_at);
  state->worst = report->level;
}

/* Everything of the incident goes, its number too: what the server says of it later changes
 * nothing. */
static void
end_incident (DownbeatNoticeState *state)
{
  g_clear_pointer (&state->since, g_date_time_unref);
  g_clear_pointer (&state->summary, g_free);
  g_clear_pointer (&state->body, g_free);
  g_clear_pointer (&state->noticed, g_date_time_unref);
  g_clear_pointer (&state->acknowledged, g_date_time_unref);
  state->incident = 0;
  state->worst = DOWNBEAT_LEVEL_UNKNOWN;
  state->shown = FALSE;
  state->withdrawn = FALSE;
  state->dismissed = FALSE;
  state->when_back = FALSE;
  state->server_id = 0;
  state->resumed = FALSE;
  state->held = FALSE;
  state->reminded = 0;
}

static void
remember_shown (DownbeatNoticeState  *state,
                const DownbeatNotice *notice)
{
  state->shown = TRUE;
  state->withdrawn = FALSE;
  state->dismissed = FALSE;
  g_free (state->summary);
  state->summary = g_strdup (notice->summary);
  g_free (state->body);
  state->body = g_strdup (notice->body);
  state->urgency = notice->urgency;
}

/* The level stays, but what shows it changed — the probes confirmed what Spotify's page said,
 * another check fails, Spotify posted an update: the notification says so, in place, unless
 * the user put it away. */
static void
decide_same_level (DownbeatNoticeState       *state,
                   const DownbeatNoticeRules *rules,
                   DownbeatReport            *report,
                   DownbeatNotice            *notice)
{
  g_autofree char *body = NULL;

  if (state->since == NULL)
    return;
  remember_lead (state, report);
  if (state->held && !rules->muted)
    {
      g_free (state->body);
      state->body = problem_body (report);
      return;
    }
  if (!state->shown || state->withdrawn || rules->muted)
    return;

  body = problem_body (report);
  if (g_strcmp0 (body, state->body) == 0)
    return;

  notice->action = DOWNBEAT_NOTICE_SHOW;
  notice->urgency = state->urgency;
  notice->summary = g_strdup (state->summary);
  notice->body = g_steal_pointer (&body);
  remember_shown (state, notice);
}

static void
decide_recovery (DownbeatNoticeState       *state,
                 const DownbeatNoticeRules *rules,
                 DownbeatReport            *report,
                 DownbeatNotice            *notice)
{
  gboolean was_problem = state->worst == DOWNBEAT_LEVEL_DEGRADED
                         || state->worst == DOWNBEAT_LEVEL_OUTAGE;

  if (state->since == NULL)
    return;

  /* What was never said, unless asked for, has no end worth saying. */
  if (was_problem && (state->when_back
                      || (state->shown && rules->notify_recovery && !rules->muted)))
    {
      notice->action = DOWNBEAT_NOTICE_SHOW;
      /* Normal, not low: GNOME Shell shows no banner for low urgency, only a dot by the clock,
       * and this is the news a user waits for. */
      notice->urgency = DOWNBEAT_URGENCY_NORMAL;
      notice->recovery = TRUE;
      notice->asked = state->when_back;
      /* Translators: %s is the name of the service, "Spotify is back" */
      notice->summary = g_strdup_printf (_("%s is back"), report->service_name);
      notice->body = recovery_body (state, report);
    }
  else if (state->shown)
    notice->action = DOWNBEAT_NOTICE_CLOSE;

  end_incident (state);
}

static void
decide_problem (DownbeatNoticeState       *state,
                const DownbeatNoticeRules *rules,
                DownbeatReport            *report,
                DownbeatLevel              previous,
                DownbeatNotice            *notice)
{
  DownbeatLevel level = report->level;
  gboolean wanted;

  if (state->since == NULL)
    open_incident (state, report);
  notice->incident = state->incident;
  state->worst = MAX (state->worst, level);
  remember_lead (state, report);

  switch (level)
    {
    case DOWNBEAT_LEVEL_OUTAGE:
      wanted = TRUE;
      notice->urgency = DOWNBEAT_URGENCY_CRITICAL;
      notice->summary = downbeat_level_sentence (level, report->service_name);
      break;
    case DOWNBEAT_LEVEL_DEGRADED:
      notice->urgency = DOWNBEAT_URGENCY_NORMAL;
      if (previous == DOWNBEAT_LEVEL_OUTAGE)
        {
          /* An update of the outage's notification, never one of its own. */
          wanted = state->shown || state->held;
          /* Translators: %s is the name of the service, "Spotify is partly back" */
          notice->summary = g_strdup_printf (_("%s is partly back"), report->service_name);
        }
      else
        {
          wanted = rules->notify_degraded;
          notice->summary = downbeat_level_sentence (level, report->service_name);
        }
      break;
    case DOWNBEAT_LEVEL_MAINTENANCE:
      wanted = rules->notify_maintenance;
      notice->urgency = DOWNBEAT_URGENCY_LOW;
      notice->summary = downbeat_level_sentence (level, report->service_name);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!wanted || rules->muted)
    {
      g_clear_pointer (&notice->summary, g_free);
      state->held = FALSE;
      return;
    }

  notice->action = DOWNBEAT_NOTICE_SHOW;
  notice->body = problem_body (report);
  remember_shown (state, notice);
}

/**
 * downbeat_notice_is_quiet:
 * @now: any time: it is read in local time
 *
 * Returns: whether @now is within quiet hours, when they are on; a span that ends where it
 *   begins is empty, and one whose end comes before its beginning goes across midnight
 */
gboolean
downbeat_notice_is_quiet (const DownbeatNoticeRules *rules,
                          GDateTime                 *now)
{
  g_autoptr(GDateTime) local = NULL;
  guint minute;

  g_return_val_if_fail (rules != NULL && now != NULL, FALSE);

  if (!rules->quiet_hours || rules->quiet_from == rules->quiet_until)
    return FALSE;
  local = g_date_time_to_local (now);
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (rules->quiet_from < rules->quiet_until)
    return minute >= rules->quiet_from && minute < rules->quiet_until;
  return minute >= rules->quiet_from || minute < rules->quiet_until;
}

/* In quiet hours no banner pops up: what would be shown waits for their end, when it is told
 * if the incident goes on, and "back" only withdraws what was shown before them. What the user
 * asked for ("Notify Me When It's Back") is shown all the same, as it is through a mute. */
static void
quiet_hold (DownbeatNoticeState       *state,
            const DownbeatNoticeRules *rules,
            GDateTime                 *now,
            gboolean                   shown,
            DownbeatNotice            *notice)
{
  if (notice->action != DOWNBEAT_NOTICE_SHOW || notice->asked
      || !downbeat_notice_is_quiet (rules, now))
    return;

  downbeat_notice_clear (notice);
  if (notice->recovery)
    {
      notice->action = DOWNBEAT_NOTICE_CLOSE;
      notice->recovery = FALSE;
      return;
    }
  notice->action = DOWNBEAT_NOTICE_NONE;
  /* What it says is remembered already; that it was shown, not. */
  state->shown = shown;
  state->held = TRUE;
}

static gint64
remind_period (const DownbeatNoticeRules *rules)
{
  return (gint64) rules->remind_every_hours * 60 * 60;
}

/* The incident's notification is up, and reminders of it are wanted. A level taken up from an
 * earlier run waits for this run's first report: it may have ended meanwhile. */
static gboolean
reminds (const DownbeatNoticeState *state,
         const DownbeatNoticeRules *rules)
{
  return state->since != NULL && !state->resumed && rules->remind_every_hours > 0
         && state->shown && !state->dismissed
         && (state->last == DOWNBEAT_LEVEL_OUTAGE
             || (state->last == DOWNBEAT_LEVEL_DEGRADED && rules->notify_degraded));
}

/* The incident's notification again, in place, with how long it has lasted so far. Its
 * remembered body stays the evidence alone, which the next report's is compared with. */
static void
tell_again (DownbeatNoticeState *state,
            GDateTime           *now,
            char                *summary,
            DownbeatNotice      *notice)
{
  g_autofree char *duration = downbeat_words_duration (g_date_time_difference (now,
                                                                               state->since));
  GString *body = g_string_new (NULL);

  /* Translators: %s is a duration, "4 hours" */
  g_string_printf (body, _("For %s so far"), duration);
  if (state->body != NULL && *state->body != '\0')
    append_line (body, state->body);
  notice->action = DOWNBEAT_NOTICE_SHOW;
  notice->urgency = state->urgency;
  notice->summary = summary;
  notice->body = end_body (body);
  state->shown = TRUE;
  state->withdrawn = FALSE;
  state->dismissed = FALSE;
}

static char *
still_summary (const DownbeatNoticeState *state)
{
  if (state->last == DOWNBEAT_LEVEL_OUTAGE)
    /* Translators: %s is the name of the service, "Spotify is still down" */
    return g_strdup_printf (_("%s is still down"), state->service);
  /* Translators: %s is the name of the service, "Spotify still has problems" */
  return g_strdup_printf (_("%s still has problems"), state->service);
}

/**
 * downbeat_notice_tick:
 * @now: the time, which the notifier's timer passes in
 * @notice: (out caller-allocates): what to do; free with downbeat_notice_clear()
 *
 * At the time downbeat_notice_next_tick() gave: tells what quiet hours kept back, once they
 * are over, or reminds of the incident, once a reminder period of it has passed. A reminder
 * that falls in quiet hours or a mute is skipped, not kept.
 */
void
downbeat_notice_tick (DownbeatNoticeState       *state,
                      const DownbeatNoticeRules *rules,
                      GDateTime                 *now,
                      DownbeatNotice            *notice)
{
  gboolean quiet;
  gint64 done = 0;

  g_return_if_fail (state != NULL && rules != NULL && now != NULL && notice != NULL);

  *notice = (DownbeatNotice) { .action = DOWNBEAT_NOTICE_NONE,
                               .urgency = DOWNBEAT_URGENCY_NORMAL,
                               .incident = state->incident };
  if (state->since == NULL)
    return;

  quiet = downbeat_notice_is_quiet (rules, now);
  /* Whole periods only: the period may have changed since the last reminder. */
  if (rules->remind_every_hours > 0)
    done = MAX (g_date_time_difference (now, state->since) / G_USEC_PER_SEC, 0)
           / remind_period (rules) * remind_period (rules);

  if (state->held && !quiet)
    {
      state->held = FALSE;
      state->reminded = done;
      if (!rules->muted)
        tell_again (state, now, g_strdup (state->summary), notice);
      return;
    }

  if (done <= state->reminded)
    return;
  state->reminded = done;
  if (reminds (state, rules) && !quiet && !rules->muted)
    tell_again (state, now, still_summary (state), notice);
}

/* The next local time of day @minutes after midnight, after @now: on a day the clock changes,
 * the wall clock's, not 24 hours from the last. */
static gint64
next_local_time (GDateTime *now,
                 guint      minutes)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);

  for (int days = 0; days <= 2; days++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (local, days);
      g_autoptr(GDateTime) at = g_date_time_new_local (g_date_time_get_year (day),
                                                       g_date_time_get_month (day),
                                                       g_date_time_get_day_of_month (day),
                                                       minutes / 60, minutes % 60, 0);

      if (at != NULL && g_date_time_compare (at, now) > 0)
        return g_date_time_to_unix (at);
    }
  g_return_val_if_reached (g_date_time_to_unix (now));
}

/**
 * downbeat_notice_next_tick:
 * @now: the time
 *
 * Returns: the unix time downbeat_notice_tick() has something to do at, @now or before it
 *   when at once; 0 when nothing is to come without a report
 */
gint64
downbeat_notice_next_tick (const DownbeatNoticeState *state,
                           const DownbeatNoticeRules *rules,
                           GDateTime                 *now)
{
  gint64 at = G_MAXINT64;

  g_return_val_if_fail (state != NULL && rules != NULL && now != NULL, 0);

  if (state->since == NULL)
    return 0;
  if (state->held)
    at = downbeat_notice_is_quiet (rules, now) ? next_local_time (now, rules->quiet_until)
                                                : g_date_time_to_unix (now);
  if (reminds (state, rules))
    at = MIN (at, g_date_time_to_unix (state->since)
                  + (state->reminded / remind_period (rules) + 1) * remind_period (rules));
  return at != G_MAXINT64 ? at : 0;
}

/**
 * downbeat_notice_decide:
 * @state: what the notifier remembers; updated
 * @notice: (out caller-allocates): what to do; free with downbeat_notice_clear()
 *
 * Compares the report's level with the last informative one. Offline and unknown
 * never notify and never hide a notification.
 */
void
downbeat_notice_decide (DownbeatNoticeState       *state,
                        const DownbeatNoticeRules *rules,
                        DownbeatReport            *report,
                        DownbeatNotice            *notice)
{
  DownbeatLevel previous;
  gboolean shown;

  g_return_if_fail (state != NULL && rules != NULL && report != NULL && notice != NULL);

  *notice = (DownbeatNotice) { .action = DOWNBEAT_NOTICE_NONE,
                               .urgency = DOWNBEAT_URGENCY_NORMAL,
                               .incident = state->incident };

  if (g_strcmp0 (state->service, report->service_name) != 0)
    {
      g_free (state->service);
      state->service = g_strdup (report->service_name);
    }
  if (!downbeat_level_is_informative (report->level))
    return;

  /* Taken up from an earlier run: "up" while a failure is being confirmed is not its end (a
   * new run confirms afresh), and a problem is the incident going on, not ended while away. */
  if (state->resumed && report->level == DOWNBEAT_LEVEL_OPERATIONAL && report->pending)
    return;
  if (report->level != DOWNBEAT_LEVEL_OPERATIONAL)
    state->resumed = FALSE;

  previous = state->last;
  shown = state->shown;
  if (report->level == previous)
    {
      if (report->level != DOWNBEAT_LEVEL_OPERATIONAL)
        decide_same_level (state, rules, report, notice);
    }
  else
    {
      state->last = report->level;
      if (report->level == DOWNBEAT_LEVEL_OPERATIONAL)
        decide_recovery (state, rules, report, notice);
      else
        decide_problem (state, rules, report, previous, notice);
    }
  quiet_hold (state, rules, report->checked_at, shown, notice);

  /* Reminders count from when they may come: periods gone by while none could (maintenance,
   * put away, off) or that a notification just shown begins are not made up for at once. An
   * earlier run's incident, found still going, is reminded of if one is due: that run may not
   * have. */
  if (state->since != NULL
      && (!reminds (state, rules) || notice->action == DOWNBEAT_NOTICE_SHOW))
    state->reminded = MAX (state->reminded,
                           g_date_time_difference (report->checked_at, state->since)
                           / G_USEC_PER_SEC);
}

/**
 * downbeat_notice_taken:
 * @incident: the incident a notification was delivered for
 * @shown: whether the server took it
 * @server_id: the server's id for it, when taken
 *
 * What the delivery side reports; about an incident that is over, it changes nothing.
 */
void
downbeat_notice_taken (DownbeatNoticeState *state,
                       guint                incident,
                       gboolean             shown,
                       guint32              server_id)
{
  g_return_if_fail (state != NULL);

  if (incident == 0 || incident != state->incident)
    return;
  /* A refused update leaves up what the server took before. */
  state->shown = shown || state->server_id != 0;
  if (!shown)
    return;
  /* After the user closed one, what is taken is a notification of its own, on screen. */
  state->server_id = server_id;
  state->withdrawn = FALSE;
  state->dismissed = FALSE;
}

/**
 * downbeat_notice_closed:
 * @incident: the incident whose notification the user closed, or that expired
 */
void
downbeat_notice_closed (DownbeatNoticeState *state,
                        guint                incident)
{
  g_return_if_fail (state != NULL);

  if (incident != 0 && incident == state->incident)
    state->withdrawn = TRUE;
}

/**
 * downbeat_notice_dismissed:
 * @incident: the incident whose notification the user closed, not one that expired
 *
 * On top of downbeat_notice_closed(): no reminders of it either. One that expired was put
 * away by the server, and a reminder is what brings it back.
 */
void
downbeat_notice_dismissed (DownbeatNoticeState *state,
                           guint                incident)
{
  g_return_if_fail (state != NULL);

  downbeat_notice_closed (state, incident);
  if (incident != 0 && incident == state->incident)
    state->dismissed = TRUE;
}

/**
 * downbeat_notice_ask_when_back:
 *
 * Asks for one "Spotify is back" at the end of the open problem.
 *
 * Returns: whether there is a problem to wait for the end of
 */
gboolean
downbeat_notice_ask_when_back (DownbeatNoticeState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (state->since == NULL
      || (state->worst != DOWNBEAT_LEVEL_DEGRADED && state->worst != DOWNBEAT_LEVEL_OUTAGE))
    return FALSE;
  state->when_back = TRUE;
  return TRUE;
}

/**
 * downbeat_notice_announcement:
 *
 * Returns: (transfer full) (nullable): what a later run needs to end or take up the open
 *   incident, if the server took its notification or "back" was asked for; %NULL otherwise
 */
DownbeatAnnouncement *
downbeat_notice_announcement (const DownbeatNoticeState *state)
{
  DownbeatAnnouncement *announcement;

  g_return_val_if_fail (state != NULL, NULL);

  if (state->since == NULL || (state->server_id == 0 && !state->when_back))
    return NULL;

  announcement = g_new0 (DownbeatAnnouncement, 1);
  announcement->since = g_date_time_to_unix (state->since);
  announcement->level = state->last;
  announcement->worst = state->worst;
  announcement->summary = g_strdup (state->summary);
  announcement->body = g_strdup (state->body);
  announcement->urgency = state->urgency;
  announcement->server_id = state->server_id;
  announcement->when_back = state->when_back;
  return announcement;
}

/**
 * downbeat_notice_resume:
 * @announcement: what an earlier run kept of its incident
 *
 * Takes the incident up as the earlier run left it, before any report of this run: a first
 * report that finds it over says "back", one that finds it going on updates it in place.
 *
 * Returns: the incident's number in this run; 0 if there is nothing to take up
 */
guint
downbeat_notice_resume (DownbeatNoticeState        *state,
                        const DownbeatAnnouncement *announcement)
{
  g_return_val_if_fail (state != NULL, 0);

  if (announcement == NULL || state->since != NULL
      || !downbeat_level_is_informative (announcement->level)
      || announcement->level == DOWNBEAT_LEVEL_OPERATIONAL
      || announcement->urgency < DOWNBEAT_URGENCY_LOW
      || announcement->urgency > DOWNBEAT_URGENCY_CRITICAL)
    return 0;

  state->incident = ++state->incidents;
  state->since = g_date_time_new_from_unix_utc (announcement->since);
  if (state->since == NULL)
    {
      state->incident = 0;
      return 0;
    }
  state->last = announcement->level;
  state->worst = MAX (announcement->worst, announcement->level);
  state->summary = g_strdup (announcement->summary);
  state->body = g_strdup (announcement->body);
  state->urgency = announcement->urgency;
  state->server_id = announcement->server_id;
  state->shown = announcement->server_id != 0 && announcement->summary != NULL;
  state->when_back = announcement->when_back;
  state->resumed = TRUE;
  return state->incident;
}

/**
 * downbeat_notice_admit:
 * @shown_incident: the incident whose notification the server last took
 *
 * On the delivery side, just before a notice is sent: a recovery is said only of an incident
 * whose notification the server took, unless it was asked for. What the owner decided may
 * rest on a delivery whose refusal had not come back yet.
 */
gboolean
downbeat_notice_admit (const DownbeatNotice *notice,
                       guint                 shown_incident)
{
  g_return_val_if_fail (notice != NULL, FALSE);

  return !notice->recovery || notice->asked || notice->incident == shown_incident;
}

/**
 * downbeat_notice_format_body:
 * @markup: whether the server reads the body as markup
 *
 * Returns: (transfer full): the body as the server must receive it: text from the network
 *   is never read as markup
 */
char *
downbeat_notice_format_body (const DownbeatNotice *notice,
                             gboolean              markup)
{
  g_return_val_if_fail (notice != NULL, NULL);

  if (notice->body == NULL)
    return g_strdup ("");
  return markup ? g_markup_escape_text (notice->body, -1) : g_strdup (notice->body);
}

void
downbeat_notice_clear (DownbeatNotice *notice)
{
  g_clear_pointer (&notice->summary, g_free);
  g_clear_pointer (&notice->body, g_free);
}

void
downbeat_notice_state_clear (DownbeatNoticeState *state)
{
  end_incident (state);
  g_clear_pointer (&state->service, g_free);
  state->last = DOWNBEAT_LEVEL_UNKNOWN;
}
