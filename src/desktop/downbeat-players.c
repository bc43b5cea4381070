/* downbeat-players.c: the Spotify players of the session, through MPRIS
 *
 * Follows whether each Spotify player on the session bus (Spotify's app, spotifyd, ncspot,
 * spotify-player) is playing. Music stopped by a problem can be resumed once Spotify is back;
 * music that stops while all seems well asks for a check (docs/design.md, "Resuming the music").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-players"

#include "config.h"

#include "downbeat-players.h"

#define MPRIS_PREFIX "org.mpris.MediaPlayer2."
#define MPRIS_PATH "/org/mpris/MediaPlayer2"
#define PLAYER_INTERFACE "org.mpris.MediaPlayer2.Player"

/* A problem is confirmed up to a poll interval and two rechecks after it began: music that
 * stopped this long before counts as stopped by it. */
#define ONSET_WINDOW_US (5 * 60 * G_USEC_PER_SEC)
/* How long after Spotify is back "Resume Playback" is offered. */
#define OFFER_S (30 * 60)

typedef struct
{
  DownbeatPlayers *players;    /* which owns this */
  char            *name;
  GDBusProxy      *proxy;      /* NULL until it is ready */
  GCancellable    *cancellable;
  gboolean         playing;
  gint64           stopped_us; /* when it last stopped playing (wall clock, which runs on
                                * through a suspend); 0 if never seen */
  gboolean         stopped_by_problem;
} Player;

struct _DownbeatPlayers
{
  GObject          parent_instance;

  GDBusConnection *bus;
  GCancellable    *cancellable;
  guint            owner_subscription;
  GHashTable      *players;      /* bus name → Player */
  DownbeatLevel    level;        /* the last one known; UNKNOWN before the first */
  gboolean         offering;     /* Spotify is back, and the offer has not lapsed */
  gint64           offer_until;  /* wall clock: a suspend does not stretch it */
  guint            offer_id;
  gboolean         can_resume;
};

enum {
  PROP_0,
  PROP_CAN_RESUME,
  N_PROPS
};

enum {
  MUSIC_STOPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DownbeatPlayers, downbeat_players, G_TYPE_OBJECT)

/* org.mpris.MediaPlayer2.spotify, or .spotifyd.instance1234: a player's own name, then
 * nothing or its instance. */
static gboolean
is_spotify_player (const char *name)
{
  static const char * const players[] = { "spotify", "spotifyd", "ncspot", "spotify_player" };

  if (!g_str_has_prefix (name, MPRIS_PREFIX))
    return FALSE;
  name += strlen (MPRIS_PREFIX);
  for (guint i = 0; i < G_N_ELEMENTS (players); i++)
    {
      gsize length = strlen (players[i]);

      if (strncmp (name, players[i], length) == 0
          && (name[length] == '\0' || name[length] == '.'))
        return TRUE;
    }
  return FALSE;
}

/* Outage, degraded, maintenance, offline: whatever may stop the music. */
static gboolean
is_problem (DownbeatLevel level)
{
  return level != DOWNBEAT_LEVEL_OPERATIONAL && level != DOWNBEAT_LEVEL_UNKNOWN;
}

static void
player_free (Player *player)
{
  g_cancellable_cancel (player->cancellable);
  g_clear_object (&player->cancellable);
  if (player->proxy != NULL)
    g_signal_handlers_disconnect_by_data (player->proxy, player);
  g_clear_object (&player->proxy);
  g_free (player->name);
  g_free (player);
}

static void
update_can_resume (DownbeatPlayers *self)
{
  gboolean can_resume = FALSE;
  GHashTableIter iter;
  Player *player;

  if (self->offering)
    {
      g_hash_table_iter_init (&iter, self->players);
      while (!can_resume && g_hash_table_iter_next (&iter, NULL, (gpointer *) &player))
        can_resume = player->stopped_by_problem;
    }

  if (can_resume == self->can_resume)
    return;
  self->can_resume = can_resume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RESUME]);
}

static void
end_offer (DownbeatPlayers *self)
{
  GHashTableIter iter;
  Player *player;

  self->offering = FALSE;
  g_clear_handle_id (&self->offer_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->players);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &player))
    player->stopped_by_problem = FALSE;
  update_can_resume (self);
}

static gboolean
on_offer_lapsed (gpointer user_data)
{
  DownbeatPlayers *self = user_data;

  self->offer_id = 0;
  end_offer (self);
  return G_SOURCE_REMOVE;
}

static void
set_playing (Player   *player,
             gboolean  playing)
{
  DownbeatPlayers *self = player->players;

  if (playing == player->playing)
    return;
  player->playing = playing;

  if (playing)
    {
      /* Whoever started it again: nothing left to offer for it. */
      player->stopped_by_problem = FALSE;
      update_can_resume (self);
      return;
    }

  player->stopped_us = g_get_real_time ();
  if (is_problem (self->level))
    player->stopped_by_problem = TRUE;
  else if (self->level == DOWNBEAT_LEVEL_OPERATIONAL)
    g_signal_emit (self, signals[MUSIC_STOPPED], 0);
}

static void
update_from_proxy (Player *player)
{
  g_autoptr(GVariant) status = g_dbus_proxy_get_cached_property (player->proxy,
                                                                 "PlaybackStatus");

  set_playing (player, status != NULL && g_variant_is_of_type (status, G_VARIANT_TYPE_STRING)
                       && g_str_equal (g_variant_get_string (status, NULL), "Playing"));
}

static void
on_properties_changed (GDBusProxy *proxy,
                       GVariant   *changed,
                       GStrv       invalidated,
                       gpointer    user_data)
{
  update_from_proxy (user_data);
}

static void
on_proxy (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_finish (result, &error);
  Player *player = user_data;

  /* Gone before it was ready: the player is freed already. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (proxy == NULL)
    {
      g_message ("The player %s cannot be followed: %s", player->name, error->message);
      return;
    }

  player->proxy = proxy;
  g_signal_connect (proxy, "g-properties-changed", G_CALLBACK (on_properties_changed), player);
  update_from_proxy (player);
}

static void
add_player (DownbeatPlayers *self,
            const char      *name)
{
  Player *player;

  if (!is_spotify_player (name) || g_hash_table_contains (self->players, name))
    return;

  player = g_new0 (Player, 1);
  player->players = self;
  player->name = g_strdup (name);
  player->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->players, player->name, player);
  g_dbus_proxy_new (self->bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL, name, MPRIS_PATH,
                    PLAYER_INTERFACE, player->cancellable, on_proxy, player);
}

static void
on_name_owner_changed (GDBusConnection *bus,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *signal,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  DownbeatPlayers *self = user_data;
  const char *name, *old_owner, *new_owner;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);

  /* A player that quits was not stopped by Spotify: it is only forgotten. */
  g_hash_table_remove (self->players, name);
  if (*new_owner != '\0')
    add_player (self, name);
  update_can_resume (self);
}

static void
on_names (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  g_autofree const char **names = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_message ("The session's players cannot be listed: %s", error->message);
      return;
    }

  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; names[i] != NULL; i++)
    add_player (user_data, names[i]);
}

/**
 * downbeat_players_set_level:
 * @level: the level of the report just made
 *
 * Called with every report. As a problem begins, the players that stopped shortly before are
 * taken as stopped by it, as are those that stop during it; once Spotify is back, those can be
 * resumed for a while.
 */
void
downbeat_players_set_level (DownbeatPlayers *self,
                            DownbeatLevel    level)
{
  gboolean was_problem;
  GHashTableIter iter;
  Player *player;

  g_return_if_fail (DOWNBEAT_IS_PLAYERS (self));

  if (level == DOWNBEAT_LEVEL_UNKNOWN)
    return;
  /* Its timer runs late after a suspend; every report looks at the clock. */
  if (self->offering && g_get_real_time () >= self->offer_until)
    end_offer (self);
  was_problem = is_problem (self->level);
  self->level = level;

  if (is_problem (level) && !was_problem)
    {
      gint64 now = g_get_real_time ();

      end_offer (self);
      g_hash_table_iter_init (&iter, self->players);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &player))
        player->stopped_by_problem = !player->playing && player->stopped_us != 0
                                     && now - player->stopped_us <= ONSET_WINDOW_US;
    }
  else if (level == DOWNBEAT_LEVEL_OPERATIONAL && was_problem)
    {
      self->offering = TRUE;
      self->offer_until = g_get_real_time () + OFFER_S * G_USEC_PER_SEC;
      self->offer_id = g_timeout_add_seconds (OFFER_S, on_offer_lapsed, self);
      update_can_resume (self);
    }
}

/**
 * downbeat_players_get_can_resume:
 *
 * Returns: whether a player stopped by the problem just over can be resumed
 */
gboolean
downbeat_players_get_can_resume (DownbeatPlayers *self)
{
  g_return_val_if_fail (DOWNBEAT_IS_PLAYERS (self), FALSE);

  return self->can_resume;
}

static void
on_played (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL)
    g_message ("The player %s did not resume: %s", name, error->message);
}

/**
 * downbeat_players_resume:
 *
 * Asks each player stopped by the problem to play again; then offers it no more.
 */
void
downbeat_players_resume (DownbeatPlayers *self)
{
  GHashTableIter iter;
  Player *player;

  g_return_if_fail (DOWNBEAT_IS_PLAYERS (self));

  if (!self->can_resume)
    return;

  g_hash_table_iter_init (&iter, self->players);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &player))
    if (player->stopped_by_problem && player->proxy != NULL)
      g_dbus_proxy_call (player->proxy, "Play", NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                         on_played, g_strdup (player->name));
  end_offer (self);
}

static void
downbeat_players_dispose (GObject *object)
{
  DownbeatPlayers *self = (DownbeatPlayers *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->owner_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->owner_subscription);
  self->owner_subscription = 0;
  g_clear_handle_id (&self->offer_id, g_source_remove);
  g_clear_pointer (&self->players, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (downbeat_players_parent_class)->dispose (object);
}

static void
downbeat_players_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DownbeatPlayers *self = DOWNBEAT_PLAYERS (object);

  switch (prop_id)
    {
    case PROP_CAN_RESUME:
      g_value_set_boolean (value, self->can_resume);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
downbeat_players_class_init (DownbeatPlayersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = downbeat_players_dispose;
  object_class->get_property = downbeat_players_get_property;

  properties[PROP_CAN_RESUME] =
    g_param_spec_boolean ("can-resume", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DownbeatPlayers::music-stopped:
   *
   * A Spotify player stopped playing while Spotify seemed up: worth a check at once.
   */
  signals[MUSIC_STOPPED] = g_signal_new ("music-stopped", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
downbeat_players_init (DownbeatPlayers *self)
{
  self->cancellable = g_cancellable_new ();
  self->players = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) player_free);
}

/**
 * downbeat_players_new:
 * @bus: the session bus
 *
 * Returns: (transfer full): the session's Spotify players, followed from now on
 */
DownbeatPlayers *
downbeat_players_new (GDBusConnection *bus)
{
  DownbeatPlayers *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);

  self = g_object_new (DOWNBEAT_TYPE_PLAYERS, NULL);
  self->bus = g_object_ref (bus);
  self->owner_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                        "NameOwnerChanged", "/org/freedesktop/DBus",
                                        "org.mpris.MediaPlayer2",
                                        G_DBUS_SIGNAL_FLAGS_MATCH_ARG0_NAMESPACE,
                                        on_name_owner_changed, self, NULL);
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListNames", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_names, self);
  return self;
}
