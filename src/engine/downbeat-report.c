/* downbeat-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-report"

#include "config.h"

#include "downbeat-report.h"
#include "downbeat-report-words.h"

/* By hand rather than G_DEFINE_BOXED_TYPE: GLib 2.74's macro passes the copy function through a
 * transparent union, which ISO C (-Wpedantic) does not allow. */
static gpointer
report_copy (gpointer report)
{
  return downbeat_report_ref (report);
}

static void
report_free (gpointer report)
{
  downbeat_report_unref (report);
}

GType
downbeat_report_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_boxed_type_register_static (g_intern_static_string ("DownbeatReport"),
                                                            report_copy, report_free));
  return type;
}

static void
probe_status_free (DownbeatProbeStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->id);
  g_free (status->name);
  g_free (status->evidence);
  g_free (status->fingerprint);
  g_clear_pointer (&status->result, downbeat_probe_result_free);
  g_free (status);
}

static void
official_status_free (DownbeatOfficialStatus *status)
{
  g_free (status->name);
  g_free (status->page_url);
  g_clear_pointer (&status->summary, downbeat_statuspage_summary_unref);
  g_clear_pointer (&status->fetched_at, g_date_time_unref);
  g_free (status->error);
  g_free (status);
}

DownbeatProbeStatus *
downbeat_probe_status_new (const DownbeatProbeSpec *spec)
{
  DownbeatProbeStatus *status = g_new0 (DownbeatProbeStatus, 1);

  g_return_val_if_fail (spec != NULL, NULL);

  status->id = g_strdup (spec->id);
  status->name = g_strdup (spec->name);
  status->evidence = g_strdup (spec->evidence);
  status->fingerprint = g_strdup (spec->fingerprint);
  status->audience = spec->audience;
  status->counted = TRUE;
  return status;
}

DownbeatOfficialStatus *
downbeat_official_status_new (const char *name,
                              const char *page_url)
{
  DownbeatOfficialStatus *status = g_new0 (DownbeatOfficialStatus, 1);

  status->name = g_strdup (name);
  status->page_url = g_strdup (page_url);
  status->counted = TRUE;
  return status;
}

static void
report_clear (DownbeatReport *report)
{
  g_free (report->service_name);
  g_free (report->summary);
  g_strfreev (report->reasons);
  g_strfreev (report->advice);
  g_clear_pointer (&report->checked_at, g_date_time_unref);
  g_clear_pointer (&report->noticed_at, g_date_time_unref);
  g_clear_pointer (&report->acknowledged_at, g_date_time_unref);
  g_clear_pointer (&report->probes, g_ptr_array_unref);
  g_clear_pointer (&report->control, probe_status_free);
  g_clear_pointer (&report->official, g_ptr_array_unref);
}

DownbeatReport *
downbeat_report_new (void)
{
  DownbeatReport *report = g_atomic_rc_box_new0 (DownbeatReport);

  report->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) probe_status_free);
  report->official = g_ptr_array_new_with_free_func ((GDestroyNotify) official_status_free);
  return report;
}

DownbeatReport *
downbeat_report_ref (DownbeatReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return g_atomic_rc_box_acquire (report);
}

void
downbeat_report_unref (DownbeatReport *report)
{
  if (report != NULL)
    g_atomic_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

static gboolean
same_probe (const DownbeatProbeStatus *a,
            const DownbeatProbeStatus *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->result->ok == b->result->ok
         && a->result->slow == b->result->slow
         && a->result->failure == b->result->failure
         && a->result->http_status == b->result->http_status
         && a->confirmation.failing == b->confirmation.failing
         && a->confirmation.slow == b->confirmation.slow
         && a->confirmation.proven == b->confirmation.proven
         && a->confirmation.outdated == b->confirmation.outdated
         && a->counted == b->counted;
}

/* The same lines, an absent list being an empty one. */
static gboolean
same_words (GStrv a,
            GStrv b)
{
  static const char * const none[] = { NULL };

  return g_strv_equal (a != NULL ? (const char * const *) a : none,
                       b != NULL ? (const char * const *) b : none);
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return a == NULL || b == NULL ? a == b : g_date_time_equal (a, b);
}

/**
 * downbeat_report_same_evidence:
 *
 * Returns: whether both reports say the same, latencies and times aside. A page
 *   answered again unchanged (304) keeps its summary, so pointers compare it.
 */
gboolean
downbeat_report_same_evidence (DownbeatReport *report,
                               DownbeatReport *other)
{
  if (report == NULL || other == NULL)
    return report == other;

  if (report->level != other->level
      || report->pending != other->pending
      || report->network_limited != other->network_limited
      || report->probes->len != other->probes->len
      || report->official->len != other->official->len
      || !same_probe (report->control, other->control)
      || !same_time (report->noticed_at, other->noticed_at)
      || !same_time (report->acknowledged_at, other->acknowledged_at)
      || !same_words (report->reasons, other->reasons)
      || !same_words (report->advice, other->advice))
    return FALSE;

  for (guint i = 0; i < report->probes->len; i++)
    if (!same_probe (g_ptr_array_index (report->probes, i), g_ptr_array_index (other->probes, i)))
      return FALSE;

  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *a = g_ptr_array_index (report->official, i);
      const DownbeatOfficialStatus *b = g_ptr_array_index (other->official, i);

      if (a->summary != b->summary || g_strcmp0 (a->error, b->error) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
add_date (JsonBuilder *builder,
          const char  *key,
          GDateTime   *date)
{
  g_autofree char *text = NULL;

  if (date == NULL)
    return;

  text = g_date_time_format_iso8601 (date);
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, text);
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *key,
             gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

static void
add_incidents (JsonBuilder *builder,
               const char  *key,
               GPtrArray   *incidents)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; incidents != NULL && i < incidents->len; i++)
    {
      const DownbeatIncident *incident = g_ptr_array_index (incidents, i);

      json_builder_begin_object (builder);
      add_string (builder, "name", incident->name);
      add_string (builder, "status", incident->status);
      add_string (builder, "impact", incident->impact);
      add_string (builder, "shortlink", incident->shortlink);
      add_date (builder, "updated_at", incident->updated_at);
      add_string (builder, "latest_update", incident->latest_update_body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_probe (JsonBuilder               *builder,
           const DownbeatProbeStatus *status)
{
  const DownbeatProbeResult *result = status->result;

  json_builder_begin_object (builder);
  add_string (builder, "id", status->id);
  add_string (builder, "name", status->name);
  add_boolean (builder, "ok", result->ok);
  json_builder_set_member_name (builder, "http_status");
  if (result->http_status != 0)
    json_builder_add_int_value (builder, result->http_status);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "latency_ms");
  json_builder_add_int_value (builder, result->latency_ms);
  add_string (builder, "error", result->error);
  add_string (builder, "failure", result->ok ? NULL : downbeat_failure_to_string (result->failure));
  add_boolean (builder, "slow", result->slow);
  add_boolean (builder, "confirmed_failing", status->confirmation.failing);
  add_boolean (builder, "confirmed_slow", status->confirmation.slow);
  add_string (builder, "outcome", downbeat_outcome_to_string (result->outcome));
  add_string (builder, "audience", status->audience == DOWNBEAT_AUDIENCE_DEVELOPERS
                                   ? "developers" : "listeners");
  add_boolean (builder, "counted", status->counted);
  add_boolean (builder, "proven", status->confirmation.proven);
  add_boolean (builder, "outdated", status->confirmation.outdated);
  if (status->evidence != NULL)
    add_string (builder, "evidence", status->evidence);
  json_builder_end_object (builder);
}

/**
 * downbeat_report_to_json:
 *
 * Returns: (transfer full): the object `downbeat --check --json` prints (docs/design.md, "Command line")
 */
JsonNode *
downbeat_report_to_json (DownbeatReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return downbeat_report_to_json_with_lead (report, report->noticed_at, report->acknowledged_at);
}

/**
 * downbeat_report_to_json_with_lead:
 * @noticed: (nullable): when the problem was noticed, in place of the report's
 * @acknowledged: (nullable): when the official page acknowledged it, in place of the report's
 *
 * The report is immutable: a lead learnt elsewhere (the history) is given beside it.
 *
 * Returns: (transfer full): as downbeat_report_to_json()
 */
JsonNode *
downbeat_report_to_json_with_lead (DownbeatReport *report,
                                   GDateTime      *noticed,
                                   GDateTime      *acknowledged)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "level", downbeat_level_to_string (report->level));
  add_string (builder, "summary", report->summary);
  add_date (builder, "checked_at", report->checked_at);
  add_date (builder, "noticed_at", noticed);
  add_date (builder, "acknowledged_at", acknowledged);
  if (noticed != NULL && acknowledged != NULL)
    {
      json_builder_set_member_name (builder, "lead_seconds");
      json_builder_add_int_value (builder,
                                  g_date_time_difference (acknowledged, noticed) / G_USEC_PER_SEC);
    }

  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; report->reasons != NULL && report->reasons[i] != NULL; i++)
    json_builder_add_string_value (builder, report->reasons[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "advice");
  json_builder_begin_array (builder);
  for (guint i = 0; report->advice != NULL && report->advice[i] != NULL; i++)
    json_builder_add_string_value (builder, report->advice[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "official");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->official->len; i++)
    {
      const DownbeatOfficialStatus *status = g_ptr_array_index (report->official, i);
      DownbeatStatuspageSummary *summary = status->summary;

      json_builder_begin_object (builder);
      add_string (builder, "name", status->name);
      add_string (builder, "page_url", status->page_url);
      add_string (builder, "indicator", summary != NULL ? summary->indicator_text : NULL);
      add_string (builder, "description",
                  summary != NULL ? summary->description
                                  : downbeat_report_words_official_description (status));
      add_string (builder, "error", status->error);
      add_incidents (builder, "incidents", summary != NULL ? summary->incidents : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "probes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->probes->len; i++)
    add_probe (builder, g_ptr_array_index (report->probes, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "control");
  if (report->control != NULL)
    add_probe (builder, report->control);
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
