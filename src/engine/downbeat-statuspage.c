/* downbeat-statuspage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-statuspage"

#include "config.h"

#include <glib/gi18n.h>

#include "downbeat-json-private.h"
#include "downbeat-statuspage.h"
#include "downbeat-text-private.h"

static const char * const indicator_names[] = {
  [DOWNBEAT_INDICATOR_UNKNOWN] = "unknown",
  [DOWNBEAT_INDICATOR_NONE] = "none",
  [DOWNBEAT_INDICATOR_MINOR] = "minor",
  [DOWNBEAT_INDICATOR_MAJOR] = "major",
  [DOWNBEAT_INDICATOR_CRITICAL] = "critical",
  [DOWNBEAT_INDICATOR_MAINTENANCE] = "maintenance",
};

static const char * const component_status_names[] = {
  [DOWNBEAT_COMPONENT_UNKNOWN] = "unknown",
  [DOWNBEAT_COMPONENT_OPERATIONAL] = "operational",
  [DOWNBEAT_COMPONENT_DEGRADED_PERFORMANCE] = "degraded_performance",
  [DOWNBEAT_COMPONENT_PARTIAL_OUTAGE] = "partial_outage",
  [DOWNBEAT_COMPONENT_MAJOR_OUTAGE] = "major_outage",
  [DOWNBEAT_COMPONENT_UNDER_MAINTENANCE] = "under_maintenance",
};

/* Values the page may add one day read as unknown (0), never as the first known one. */
static guint
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name)
{
  for (guint i = 1; i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;

  return 0;
}

static void
component_free (DownbeatComponent *component)
{
  g_free (component->id);
  g_free (component->name);
  g_free (component->status_text);
  g_free (component->group_id);
  g_free (component);
}

static void
incident_free (DownbeatIncident *incident)
{
  g_free (incident->id);
  g_free (incident->name);
  g_free (incident->status);
  g_free (incident->impact);
  g_free (incident->shortlink);
  g_clear_pointer (&incident->created_at, g_date_time_unref);
  g_clear_pointer (&incident->updated_at, g_date_time_unref);
  g_clear_pointer (&incident->scheduled_for, g_date_time_unref);
  g_clear_pointer (&incident->scheduled_until, g_date_time_unref);
  g_free (incident->latest_update_body);
  g_free (incident->latest_update_status);
  g_clear_pointer (&incident->latest_update_at, g_date_time_unref);
  g_free (incident);
}

static void
summary_clear (DownbeatStatuspageSummary *summary)
{
  g_free (summary->page_name);
  g_free (summary->page_url);
  g_clear_pointer (&summary->updated_at, g_date_time_unref);
  g_free (summary->indicator_text);
  g_free (summary->description);
  g_clear_pointer (&summary->components, g_ptr_array_unref);
  g_clear_pointer (&summary->incidents, g_ptr_array_unref);
  g_clear_pointer (&summary->scheduled_maintenances, g_ptr_array_unref);
}

DownbeatStatuspageSummary *
downbeat_statuspage_summary_ref (DownbeatStatuspageSummary *summary)
{
  g_return_val_if_fail (summary != NULL, NULL);

  return g_atomic_rc_box_acquire (summary);
}

void
downbeat_statuspage_summary_unref (DownbeatStatuspageSummary *summary)
{
  if (summary != NULL)
    g_atomic_rc_box_release_full (summary, (GDestroyNotify) summary_clear);
}

/* Every string the page sends goes through here: it is kept, shown and printed. */
static gboolean
read_text (JsonObject            *object,
           const char            *path,
           const char            *key,
           DownbeatJsonPresence   presence,
           guint                  max_chars,
           char                 **out,
           GError               **error)
{
  const char *value = NULL;

  if (!downbeat_json_string (object, path, key, presence, &value, error))
    return FALSE;

  *out = downbeat_text_clean (value, -1, max_chars);
  return TRUE;
}

/* What people wrote on the page: Statuspage keeps it as HTML (`<br />`, `&amp;`, links). */
static gboolean
read_prose (JsonObject            *object,
            const char            *path,
            const char            *key,
            DownbeatJsonPresence   presence,
            guint                  max_chars,
            char                 **out,
            GError               **error)
{
  const char *value = NULL;

  if (!downbeat_json_string (object, path, key, presence, &value, error))
    return FALSE;

  *out = downbeat_text_from_html (value, max_chars);
  return TRUE;
}

/* A date that cannot be read is left out, not an error: it only decorates. */
static gboolean
read_date (JsonObject   *object,
           const char   *path,
           const char   *key,
           GDateTime   **out,
           GError      **error)
{
  const char *value = NULL;

  if (!downbeat_json_string (object, path, key, DOWNBEAT_JSON_OPTIONAL, &value, error))
    return FALSE;

  *out = value != NULL ? g_date_time_new_from_iso8601 (value, NULL) : NULL;
  return TRUE;
}

static gboolean
read_components (DownbeatStatuspageSummary  *summary,
                 JsonObject                 *root,
                 GError                    **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, "components", DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, "components", i);
      JsonObject *object = downbeat_json_array_object (array, "components", i, error);
      DownbeatComponent *component;

      if (object == NULL)
        return FALSE;

      component = g_new0 (DownbeatComponent, 1);
      g_ptr_array_add (summary->components, component);

      if (!read_text (object, path, "id", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                      &component->id, error)
          || !read_text (object, path, "name", DOWNBEAT_JSON_REQUIRED, DOWNBEAT_TEXT_SHORT,
                         &component->name, error)
          || !read_text (object, path, "status", DOWNBEAT_JSON_REQUIRED, DOWNBEAT_TEXT_SHORT,
                         &component->status_text, error)
          || !downbeat_json_bool (object, path, "group", DOWNBEAT_JSON_OPTIONAL,
                                  &component->group, error)
          || !read_text (object, path, "group_id", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                         &component->group_id, error)
          || !downbeat_json_bool (object, path, "only_show_if_degraded", DOWNBEAT_JSON_OPTIONAL,
                                  &component->only_show_if_degraded, error))
        return FALSE;

      component->status = lookup_name (component_status_names,
                                       G_N_ELEMENTS (component_status_names),
                                       component->status_text);
    }

  return TRUE;
}

/* The newest update by date; Statuspage lists them newest first, so that breaks ties. */
static gboolean
read_latest_update (DownbeatIncident  *incident,
                    JsonObject        *object,
                    const char        *path,
                    GError           **error)
{
  g_autofree char *updates_path = downbeat_json_path (path, "incident_updates", -1);
  JsonArray *array = NULL;
  JsonObject *latest = NULL;
  g_autofree char *latest_path = NULL;
  g_autoptr(GDateTime) latest_at = NULL;

  if (!downbeat_json_array (object, path, "incident_updates", DOWNBEAT_JSON_OPTIONAL, &array,
                            error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *update_path = downbeat_json_path (path, "incident_updates", i);
      JsonObject *update = downbeat_json_array_object (array, updates_path, i, error);
      g_autoptr(GDateTime) at = NULL;

      if (update == NULL
          || !read_date (update, update_path, "display_at", &at, error)
          || (at == NULL && !read_date (update, update_path, "created_at", &at, error)))
        return FALSE;

      if (latest == NULL || (at != NULL && (latest_at == NULL || g_date_time_compare (at, latest_at) > 0)))
        {
          latest = update;
          g_free (latest_path);
          latest_path = g_steal_pointer (&update_path);
          g_clear_pointer (&latest_at, g_date_time_unref);
          latest_at = g_steal_pointer (&at);
        }
    }

  if (latest == NULL)
    return TRUE;

  incident->latest_update_at = g_steal_pointer (&latest_at);
  return read_prose (latest, latest_path, "body", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_LONG,
                     &incident->latest_update_body, error)
         && read_text (latest, latest_path, "status", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                       &incident->latest_update_status, error);
}

static gboolean
read_incidents (JsonObject  *root,
                const char  *key,
                GPtrArray   *incidents,
                GError     **error)
{
  JsonArray *array = NULL;

  if (!downbeat_json_array (root, NULL, key, DOWNBEAT_JSON_OPTIONAL, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = downbeat_json_path (NULL, key, i);
      JsonObject *object = downbeat_json_array_object (array, key, i, error);
      DownbeatIncident *incident;

      if (object == NULL)
        return FALSE;

      incident = g_new0 (DownbeatIncident, 1);
      g_ptr_array_add (incidents, incident);

      if (!read_text (object, path, "id", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                      &incident->id, error)
          || !read_prose (object, path, "name", DOWNBEAT_JSON_REQUIRED, DOWNBEAT_TEXT_SHORT,
                          &incident->name, error)
          || !read_text (object, path, "status", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                         &incident->status, error)
          || !read_text (object, path, "impact", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                         &incident->impact, error)
          || !read_text (object, path, "shortlink", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                         &incident->shortlink, error)
          || !read_date (object, path, "created_at", &incident->created_at, error)
          || !read_date (object, path, "updated_at", &incident->updated_at, error)
          || !read_date (object, path, "scheduled_for", &incident->scheduled_for, error)
          || !read_date (object, path, "scheduled_until", &incident->scheduled_until, error)
          || !read_latest_update (incident, object, path, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_summary (DownbeatStatuspageSummary  *summary,
              JsonNode                   *root_node,
              GError                    **error)
{
  JsonObject *root;
  JsonObject *page = NULL;
  JsonObject *status = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("not a status page summary: expected an object"));
      return FALSE;
    }
  root = json_node_get_object (root_node);

  if (!downbeat_json_object (root, NULL, "page", DOWNBEAT_JSON_OPTIONAL, &page, error)
      || (page != NULL
          && (!read_text (page, "page", "name", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                          &summary->page_name, error)
              || !read_text (page, "page", "url", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                             &summary->page_url, error)
              || !read_date (page, "page", "updated_at", &summary->updated_at, error))))
    return FALSE;

  if (!downbeat_json_object (root, NULL, "status", DOWNBEAT_JSON_REQUIRED, &status, error)
      || !read_text (status, "status", "indicator", DOWNBEAT_JSON_REQUIRED, DOWNBEAT_TEXT_SHORT,
                     &summary->indicator_text, error)
      || !read_text (status, "status", "description", DOWNBEAT_JSON_OPTIONAL, DOWNBEAT_TEXT_SHORT,
                     &summary->description, error))
    return FALSE;

  summary->indicator = lookup_name (indicator_names, G_N_ELEMENTS (indicator_names),
                                    summary->indicator_text);

  return read_components (summary, root, error)
         && read_incidents (root, "incidents", summary->incidents, error)
         && read_incidents (root, "scheduled_maintenances", summary->scheduled_maintenances, error);
}

/**
 * downbeat_statuspage_parse:
 * @data: the body of a summary.json, trusted in nothing
 *
 * Returns: (transfer full): the summary, or %NULL with @error (%G_IO_ERROR_INVALID_DATA)
 *   naming the key that is wrong
 */
DownbeatStatuspageSummary *
downbeat_statuspage_parse (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(DownbeatStatuspageSummary) summary = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  root = downbeat_json_parse (data, length, error);
  if (root == NULL)
    return NULL;

  summary = g_atomic_rc_box_new0 (DownbeatStatuspageSummary);
  summary->components = g_ptr_array_new_with_free_func ((GDestroyNotify) component_free);
  summary->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) incident_free);
  summary->scheduled_maintenances = g_ptr_array_new_with_free_func ((GDestroyNotify) incident_free);

  if (!read_summary (summary, root, error))
    return NULL;

  return g_steal_pointer (&summary);
}

gboolean
downbeat_statuspage_summary_maintenance_in_progress (DownbeatStatuspageSummary *summary)
{
  g_return_val_if_fail (summary != NULL, FALSE);

  for (guint i = 0; i < summary->scheduled_maintenances->len; i++)
    {
      const DownbeatIncident *maintenance = g_ptr_array_index (summary->scheduled_maintenances, i);

      if (g_strcmp0 (maintenance->status, "in_progress") == 0)
        return TRUE;
    }

  return FALSE;
}
