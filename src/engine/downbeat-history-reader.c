/* downbeat-history-reader.c: what the app and the window read of the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-history"

#include "config.h"

#include "downbeat-history-internal.h"

/* The seconds of [@start, @end) in each level, summed by SQLite: a few rows come back, however
 * many changes the span holds. */
static DownbeatUptime
query_uptime (sqlite3 *db,
              gint64   start,
              gint64   end)
{
  DownbeatUptime uptime = { 0 };
  g_autoptr(sqlite3_stmt) statement = NULL;

  uptime.unknown = end - start;
  if (sqlite3_prepare_v2 (db,
                          /* The level in force at the start, then every change in the span,
                           * each lasting until the next. */
                          "SELECT level, total(next - at) FROM"
                          " (SELECT level, at, lead(at, 1, ?2) OVER (ORDER BY at, id) AS next FROM"
                          "   (SELECT level, ?1 AS at, id FROM"
                          "     (SELECT level, rowid AS id FROM changes WHERE at <= ?1"
                          "      ORDER BY at DESC, rowid DESC LIMIT 1)"
                          "    UNION ALL"
                          "    SELECT level, at, rowid FROM changes WHERE at > ?1 AND at < ?2))"
                          " GROUP BY level",
                          -1, &statement, NULL) != SQLITE_OK)
    return uptime;

  sqlite3_bind_int64 (statement, 1, start);
  sqlite3_bind_int64 (statement, 2, end);

  /* Offline, unknown, and the time before the first change: not known. */
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      gint64 span = sqlite3_column_int64 (statement, 1);
      DownbeatLevel level = DOWNBEAT_LEVEL_UNKNOWN;
      gint64 *bucket;

      downbeat_level_from_string ((const char *) sqlite3_column_text (statement, 0), &level);
      switch (level)
        {
        case DOWNBEAT_LEVEL_OPERATIONAL: bucket = &uptime.operational; break;
        case DOWNBEAT_LEVEL_MAINTENANCE: bucket = &uptime.maintenance; break;
        case DOWNBEAT_LEVEL_DEGRADED: bucket = &uptime.degraded; break;
        case DOWNBEAT_LEVEL_OUTAGE: bucket = &uptime.outage; break;
        case DOWNBEAT_LEVEL_OFFLINE:
        case DOWNBEAT_LEVEL_UNKNOWN:
        default: continue;
        }
      *bucket += span;
      uptime.unknown -= span;
    }

  return uptime;
}

/**
 * downbeat_history_uptime:
 * @from: the start of the span
 * @to: its end, usually now
 *
 * Returns: the seconds of the span spent in each level, from the recorded level changes
 */
DownbeatUptime
downbeat_history_uptime (DownbeatHistory *self,
                         GDateTime       *from,
                         GDateTime       *to)
{
  gint64 start = g_date_time_to_unix (from);
  gint64 end = g_date_time_to_unix (to);
  DownbeatUptime unknown = { .unknown = end - start };

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), unknown);

  if (!downbeat_history_ensure_open (self))
    return unknown;
  return query_uptime (self->db, start, end);
}

/**
 * downbeat_uptime_ratio:
 *
 * Returns: the share of the known time that was not an outage, from 0 to 1; -1 when nothing
 *   of the span is known
 */
double
downbeat_uptime_ratio (const DownbeatUptime *uptime)
{
  gint64 known = uptime->operational + uptime->maintenance + uptime->degraded + uptime->outage;

  if (known <= 0)
    return -1;
  return (double) (known - uptime->outage) / known;
}

void
downbeat_outage_free (DownbeatOutage *outage)
{
  if (outage == NULL)
    return;
  g_clear_pointer (&outage->start, g_date_time_unref);
  g_clear_pointer (&outage->end, g_date_time_unref);
  g_clear_pointer (&outage->noticed, g_date_time_unref);
  g_clear_pointer (&outage->acknowledged, g_date_time_unref);
  g_free (outage->incident);
  g_free (outage);
}

/**
 * downbeat_history_trust:
 *
 * Returns: (transfer container) (element-type DownbeatTrust): what was learnt here of each
 *   probe proven so far, to give back to the monitor when it starts
 */
GPtrArray *
downbeat_history_trust (DownbeatHistory *self)
{
  GPtrArray *trusts = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_trust_free);
  g_autoptr(sqlite3_stmt) statement = NULL;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), trusts);

  if (!downbeat_history_ensure_open (self)
      || sqlite3_prepare_v2 (self->db,
                             "SELECT probe, fingerprint, outdated, alone_since FROM trust",
                             -1, &statement, NULL) != SQLITE_OK)
    return trusts;

  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      DownbeatTrust *trust;
      gboolean whole = TRUE;

      /* The schema says NOT NULL; a file edited or mended by hand may not. */
      for (int column = 0; column < 4; column++)
        whole &= sqlite3_column_type (statement, column) != SQLITE_NULL;
      if (!whole)
        {
          g_message ("A row of the history's trust table has an empty field: left out");
          continue;
        }

      trust = g_new0 (DownbeatTrust, 1);
      trust->probe = g_strdup ((const char *) sqlite3_column_text (statement, 0));
      trust->fingerprint = g_strdup ((const char *) sqlite3_column_text (statement, 1));
      trust->outdated = sqlite3_column_int (statement, 2);
      trust->alone_since = sqlite3_column_int64 (statement, 3);
      g_ptr_array_add (trusts, trust);
    }

  return trusts;
}

/**
 * downbeat_history_announcement:
 *
 * Returns: (transfer full) (nullable): what an earlier run kept with
 *   downbeat_history_announce(), if it is whole
 */
DownbeatAnnouncement *
downbeat_history_announcement (DownbeatHistory *self)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(DownbeatAnnouncement) announcement = NULL;
  const char *level, *worst;

  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!downbeat_history_ensure_open (self)
      || sqlite3_prepare_v2 (self->db,
                             "SELECT since, level, worst, summary, body, urgency, server_id,"
                             " when_back FROM announcement", -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    return NULL;

  announcement = g_new0 (DownbeatAnnouncement, 1);
  level = (const char *) sqlite3_column_text (statement, 1);
  worst = (const char *) sqlite3_column_text (statement, 2);
  /* The schema says NOT NULL; a file edited or mended by hand may not. */
  if (sqlite3_column_type (statement, 0) != SQLITE_INTEGER
      || !downbeat_level_from_string (level, &announcement->level)
      || !downbeat_level_from_string (worst, &announcement->worst))
    {
      g_message ("The history's announcement is not whole: left out");
      return NULL;
    }
  announcement->since = sqlite3_column_int64 (statement, 0);
  announcement->summary = g_strdup ((const char *) sqlite3_column_text (statement, 3));
  announcement->body = g_strdup ((const char *) sqlite3_column_text (statement, 4));
  announcement->urgency = sqlite3_column_int (statement, 5);
  announcement->server_id = (guint32) sqlite3_column_int64 (statement, 6);
  announcement->when_back = sqlite3_column_int (statement, 7) != 0;
  return g_steal_pointer (&announcement);
}

/* When each of @outages was first confirmed here and first acknowledged: the first of each
 * sighting from its start to its end. */
static void
add_sightings (sqlite3   *db,
               GPtrArray *outages)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (outages->len == 0
      || sqlite3_prepare_v2 (db,
                             "SELECT kind, min(at) FROM sightings WHERE at BETWEEN ?1 AND ?2"
                             " GROUP BY kind",
                             -1, &statement, NULL) != SQLITE_OK)
    return;

  for (guint i = 0; i < outages->len; i++)
    {
      DownbeatOutage *outage = g_ptr_array_index (outages, i);

      sqlite3_bind_int64 (statement, 1, g_date_time_to_unix (outage->start));
      sqlite3_bind_int64 (statement, 2, outage->end != NULL ? g_date_time_to_unix (outage->end)
                                                            : G_MAXINT64);
      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          const char *kind = (const char *) sqlite3_column_text (statement, 0);
          GDateTime *at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (statement, 1));

          if (g_strcmp0 (kind, downbeat_history_sighting_names[CHANGE_NOTICED]) == 0)
            outage->noticed = at;
          else if (g_strcmp0 (kind, downbeat_history_sighting_names[CHANGE_ACKNOWLEDGED]) == 0)
            outage->acknowledged = at;
          else
            g_date_time_unref (at);
        }
      sqlite3_reset (statement);
    }
}

/* The outages that end at @since or later, or go on still, and at least the last @at_least of
 * those that end after @floor; oldest first. Read from the newest change back, only as far as
 * they go: not every change of the year. */
static GPtrArray *
query_outages (sqlite3 *db,
               gint64   since,
               gint64   floor,
               guint    at_least)
{
  GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  g_autoptr(sqlite3_stmt) statement = NULL;
  DownbeatOutage *current = NULL;
  gint64 end = -1;   /* of the outage before the changes read so far; -1: none, it goes on */

  /* Down to the last end of a problem at or before @floor: whatever ends after @floor began
   * after it. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT at, level, incident FROM changes"
                          " WHERE at >= coalesce((SELECT max(at) FROM changes WHERE at <= ?1"
                          "                        AND level IN ('operational', 'maintenance')), 0)"
                          " ORDER BY at DESC, rowid DESC",
                          -1, &statement, NULL) != SQLITE_OK)
    return outages;

  sqlite3_bind_int64 (statement, 1, floor);

  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (statement, 0);
      const char *incident = (const char *) sqlite3_column_text (statement, 2);
      DownbeatLevel level;

      if (!downbeat_level_from_string ((const char *) sqlite3_column_text (statement, 1), &level))
        continue;

      if (level == DOWNBEAT_LEVEL_DEGRADED || level == DOWNBEAT_LEVEL_OUTAGE)
        {
          if (current == NULL)
            {
              /* Older ones end before @since: wanted only until there are @at_least. */
              if (end >= 0 && (end < floor || (end < since && outages->len >= at_least)))
                break;
              current = g_new0 (DownbeatOutage, 1);
              current->end = end >= 0 ? g_date_time_new_from_unix_utc (end) : NULL;
              g_ptr_array_add (outages, current);
            }
          /* Going back: the earliest change of the outage is its start, and its title the
           * earliest one given. */
          g_clear_pointer (&current->start, g_date_time_unref);
          current->start = g_date_time_new_from_unix_utc (at);
          current->worst = MAX (current->worst, level);
          if (incident != NULL)
            {
              g_free (current->incident);
              current->incident = g_strdup (incident);
            }
        }
      else if (downbeat_level_is_informative (level))
        {
          current = NULL;
          end = at;
        }
    }

  /* Read newest first; oldest first is how they are handed over. */
  for (guint i = 0; i < outages->len / 2; i++)
    {
      gpointer *pdata = outages->pdata;
      gpointer swap = pdata[i];

      pdata[i] = pdata[outages->len - 1 - i];
      pdata[outages->len - 1 - i] = swap;
    }
  add_sightings (db, outages);
  return outages;
}

/**
 * downbeat_history_outages:
 * @since: the earliest start wanted
 *
 * A problem runs from the first change to degraded or outage until the next change to
 * operational or maintenance; offline and unknown spells inside it do not end it.
 *
 * Returns: (transfer container) (element-type DownbeatOutage): those that end at @since or
 *   later, or go on still; oldest first
 */
GPtrArray *
downbeat_history_outages (DownbeatHistory *self,
                          GDateTime       *since)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!downbeat_history_ensure_open (self))
    return g_ptr_array_new_with_free_func ((GDestroyNotify) downbeat_outage_free);
  return query_outages (self->db, g_date_time_to_unix (since), g_date_time_to_unix (since), 0);
}

static GArray *
query_latency (sqlite3 *db,
               gint64   from,
               GStrv   *probe_ids)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (db != NULL
      && sqlite3_prepare_v2 (db,
                             "SELECT c.at, p.probe, p.latency_ms, p.ok"
                             "  FROM checks c JOIN probe_results p ON p.check_id = c.id"
                             "  WHERE c.at >= ? ORDER BY c.at",
                             -1, &statement, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, from);

      while (sqlite3_step (statement) == SQLITE_ROW)
        {
          const char *probe = (const char *) sqlite3_column_text (statement, 1);
          gpointer found;
          DownbeatLatencyPoint point;

          if (probe == NULL)
            continue;
          if (!g_hash_table_lookup_extended (index, probe, NULL, &found))
            {
              found = GUINT_TO_POINTER (g_hash_table_size (index));
              g_hash_table_insert (index, g_strdup (probe), found);
              g_strv_builder_add (ids, probe);
            }

          point.at = sqlite3_column_int64 (statement, 0);
          point.probe = GPOINTER_TO_UINT (found);
          point.latency_ms = sqlite3_column_type (statement, 2) == SQLITE_NULL
                             ? -1 : sqlite3_column_int (statement, 2);
          point.ok = sqlite3_column_int (statement, 3);
          g_array_append_val (points, point);
        }
    }

  *probe_ids = g_strv_builder_end (ids);
  return points;
}

/**
 * downbeat_history_latency:
 * @from: the earliest check wanted
 * @probe_ids: (out) (transfer full): the probes, which the points' probe field indexes
 *
 * Returns: (transfer full) (element-type DownbeatLatencyPoint): every probe's answer time
 *   since @from, oldest first, from the raw checks (kept 7 days)
 */
GArray *
downbeat_history_latency (DownbeatHistory *self,
                          GDateTime       *from,
                          GStrv           *probe_ids)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);
  g_return_val_if_fail (probe_ids != NULL, NULL);

  return query_latency (downbeat_history_ensure_open (self) ? self->db : NULL,
                        g_date_time_to_unix (from), probe_ids);
}

/* Reading for the window, on a worker. */

#define READ_TAG ((gpointer) (guintptr) downbeat_history_read_async)

typedef struct
{
  char   *path;
  gint64  now;
  guint   outages;
  gint64  last_change;      /* as known to the caller; -1: nothing known */
  gint64  last_sighting;
} ReadRequest;

static void
read_request_free (ReadRequest *request)
{
  g_free (request->path);
  g_free (request);
}

void
downbeat_history_view_free (DownbeatHistoryView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->latency, g_array_unref);
  g_clear_pointer (&view->probe_ids, g_strfreev);
  g_clear_pointer (&view->outages, g_ptr_array_unref);
  g_free (view);
}

static int
compare_ms (gconstpointer a,
            gconstpointer b)
{
  return *(const gint *) a - *(const gint *) b;
}

/* What the graph draws of @points, and what its caption says of them: at most a point a probe
 * a minute (the slowest answer of that minute), however often the checks ran. */
static void
view_set_latency (DownbeatHistoryView *view,
                  GArray              *points)
{
  g_autoptr(GArray) answered = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GArray) last = g_array_new (FALSE, TRUE, sizeof (guint));   /* a probe's last point */
  GArray *drawn = g_array_new (FALSE, FALSE, sizeof (DownbeatLatencyPoint));

  for (guint i = 0; i < points->len; i++)
    {
      const DownbeatLatencyPoint *point = &g_array_index (points, DownbeatLatencyPoint, i);
      DownbeatLatencyPoint *same = NULL;

      if (point->latency_ms >= 0)
        g_array_append_val (answered, point->latency_ms);

      if (point->probe >= last->len)
        g_array_set_size (last, point->probe + 1);
      if (g_array_index (last, guint, point->probe) > 0)
        same = &g_array_index (drawn, DownbeatLatencyPoint,
                               g_array_index (last, guint, point->probe) - 1);
      if (same != NULL && same->at / 60 == point->at / 60)
        {
          same->latency_ms = MAX (same->latency_ms, point->latency_ms);
          same->ok = same->ok && point->ok;
          continue;
        }
      g_array_append_val (drawn, *point);
      g_array_index (last, guint, point->probe) = drawn->len;
    }

  view->latency = drawn;
  view->answers = answered->len;
  if (answered->len > 0)
    {
      g_array_sort (answered, compare_ms);
      view->median_ms = g_array_index (answered, gint, answered->len / 2);
      view->slowest_ms = g_array_index (answered, gint, answered->len - 1);
    }
}

static gint64
max_rowid (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (statement, 0);
}

static void
read_view (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  ReadRequest *request = task_data;
  g_autoptr(DownbeatHistoryView) view = g_new0 (DownbeatHistoryView, 1);
  sqlite3 *db = NULL;
  int code;

  /* A connection of its own, on this thread only, that writes nothing: the writer's and the
   * main thread's stay where they are. */
  code = sqlite3_open_v2 (request->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
  if (code == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, WRITER_BUSY_MS);
      code = exec (db, "PRAGMA cache_size = -256");
    }
  if (code != SQLITE_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errstr (code));
      sqlite3_close (db);
      return;
    }

  view->now = request->now;
  view->day = query_uptime (db, request->now - 86400, request->now);
  view->week = query_uptime (db, request->now - 7 * 86400, request->now);
  view->month = query_uptime (db, request->now - 30 * 86400, request->now);
  {
    g_autoptr(GArray) points = query_latency (db, request->now - 86400, &view->probe_ids);

    view_set_latency (view, points);
  }

  /* The outages change only with a level change or a sighting: most checks bring neither. */
  view->last_change = max_rowid (db, "SELECT coalesce(max(rowid), 0) FROM changes");
  view->last_sighting = max_rowid (db, "SELECT coalesce(max(rowid), 0) FROM sightings");
  if (view->last_change < 0 || view->last_change != request->last_change
      || view->last_sighting != request->last_sighting)
    view->outages = query_outages (db, request->now - 86400, request->now - 366 * 86400,
                                   request->outages);

  sqlite3_close (db);
  g_task_return_pointer (task, g_steal_pointer (&view),
                         (GDestroyNotify) downbeat_history_view_free);
}

/**
 * downbeat_history_read_async:
 * @now: the end of the spans read
 * @outages: how many of the last outages of the year are wanted at least
 * @known: (nullable): the view read last, whose outages the caller keeps
 *
 * Reads what the detail window shows, on a worker with a read-only connection of its own: the
 * main loop never waits for the disk. Uptime over the day, 7 days and 30 days before @now, the
 * answer times of its last 24 hours, and the outages: those of the last 24 hours and at least
 * the last @outages of the year, unless no level change nor sighting was written since @known.
 */
void
downbeat_history_read_async (DownbeatHistory           *self,
                             GDateTime                 *now,
                             guint                      outages,
                             const DownbeatHistoryView *known,
                             GCancellable              *cancellable,
                             GAsyncReadyCallback        callback,
                             gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadRequest *request;

  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));
  g_return_if_fail (now != NULL);

  request = g_new0 (ReadRequest, 1);
  request->path = g_strdup (self->path);
  request->now = g_date_time_to_unix (now);
  request->outages = outages;
  request->last_change = known != NULL ? known->last_change : -1;
  request->last_sighting = known != NULL ? known->last_sighting : -1;

  /* The task holds the path, not the history: a worker never drops its last reference. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, READ_TAG);
  g_task_set_task_data (task, request, (GDestroyNotify) read_request_free);
  g_task_run_in_thread (task, read_view);
}

/**
 * downbeat_history_read_finish:
 *
 * Returns: (transfer full): what downbeat_history_read_async() read; its outages are %NULL when
 *   they are the known view's
 */
DownbeatHistoryView *
downbeat_history_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == READ_TAG, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
