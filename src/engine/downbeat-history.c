/* downbeat-history.c: the object, its properties and signal, its lifetime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-history"

#include "config.h"

#include "downbeat-history-internal.h"

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_POLL_INTERVAL,
  N_PROPS
};

enum {
  WRITTEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DownbeatHistory, downbeat_history, G_TYPE_OBJECT)

void
downbeat_history_set_problem (DownbeatHistory *self,
                              char            *problem)
{
  g_autofree char *owned = problem;

  if (g_strcmp0 (self->problem, owned) == 0)
    return;

  if (owned != NULL)
    g_message ("%s", owned);
  g_free (self->problem);
  self->problem = g_steal_pointer (&owned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

void
downbeat_history_emit_written (DownbeatHistory *self)
{
  g_signal_emit (self, signals[WRITTEN], 0);
}

/**
 * downbeat_history_get_since:
 *
 * Returns: (transfer full) (nullable): when the level last changed to what it is now
 */
GDateTime *
downbeat_history_get_since (DownbeatHistory *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  if (!self->has_level)
    return NULL;
  return g_date_time_new_from_unix_utc (self->last_change_at);
}

const char *
downbeat_history_get_problem (DownbeatHistory *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_HISTORY (self), NULL);

  return self->problem;
}

/**
 * downbeat_history_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/downbeat/history.db`
 */
char *
downbeat_history_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "downbeat", "history.db", NULL);
}

/**
 * downbeat_history_close:
 *
 * Writes what is queued, level changes the disk refused so far included, waiting for a locked
 * or slow disk at most 5 seconds, and stops the writer: for the owner to call at its end (the
 * application's shutdown), not to rely on finalization. Afterwards the history takes nothing
 * more and answers nothing. Emits nothing and takes no reference: safe from a dispose.
 */
void
downbeat_history_close (DownbeatHistory *self)
{
  g_return_if_fail (DOWNBEAT_IS_HISTORY (self));

  self->closed = TRUE;
  downbeat_history_close_reader (self);
  if (self->writer != NULL)
    downbeat_history_writer_stop (self);
}

static void
downbeat_history_finalize (GObject *object)
{
  DownbeatHistory *self = (DownbeatHistory *)object;

  /* For an owner that did not close it: downbeat_history_close() takes no reference. */
  downbeat_history_close (self);
  g_free (self->problem);
  g_free (self->path);

  G_OBJECT_CLASS (downbeat_history_parent_class)->finalize (object);
}

static void
downbeat_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DownbeatHistory *self = DOWNBEAT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_history_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DownbeatHistory *self = DOWNBEAT_HISTORY (object);

  switch (prop_id)
    {
    case PROP_POLL_INTERVAL:
      if (self->poll_interval != g_value_get_uint (value))
        {
          self->poll_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_history_class_init (DownbeatHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = downbeat_history_finalize;
  object_class->get_property = downbeat_history_get_property;
  object_class->set_property = downbeat_history_set_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  /**
   * DownbeatHistory:poll-interval:
   *
   * The seconds between checks: a longer silence is recorded as a time not known.
   */
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 1, G_MAXUINT, 60,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DownbeatHistory::written:
   *
   * A check handed over with downbeat_history_add() is on disk: what the history answers
   * may have changed.
   */
  signals[WRITTEN] =
    g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
downbeat_history_init (DownbeatHistory *self)
{
  self->poll_interval = 60;
}

/**
 * downbeat_history_new:
 * @path: the database file, usually downbeat_history_default_path()
 *
 * Never fails: a history that cannot be kept says why in #DownbeatHistory:problem, and the
 * application goes on without it.
 */
DownbeatHistory *
downbeat_history_new (const char *path)
{
  DownbeatHistory *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DOWNBEAT_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  downbeat_history_ensure_open (self);
  downbeat_history_writer_start (self);

  return self;
}
