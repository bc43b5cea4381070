/* downbeat-history-internal.h: what the history's files share: the instance and its helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "downbeat-history-private.h"
#include "downbeat-worker.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* How long a connection waits for another's lock: the reader serves the window on the main
 * loop, the writer has a thread of its own to wait on. */
#define READER_BUSY_MS 20
#define WRITER_BUSY_MS 2000
/* Creating or migrating the file: once, under the write lock, whoever else is at it (the app at
 * login and a bar's `downbeat --watch`). */
#define SETUP_BUSY_MS 10000

/* What is synced with a level change: the change itself, or the moment a problem was first
 * confirmed here or first acknowledged by an official page (a sighting). */
typedef enum
{
  CHANGE_LEVEL,
  CHANGE_NOTICED,
  CHANGE_ACKNOWLEDGED,
} ChangeKind;

/* The writer's side: its own connection, used only on its thread. */
typedef struct _Store Store;

struct _DownbeatHistory
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;              /* the reader's connection, on the main thread */
  char          *problem;         /* nullable: why the history is not what it should be */

  DownbeatLevel  last_level;      /* of the last change, written or pending */
  gint64         last_change_at;
  gint64         last_noticed;    /* unix time of the last sightings written or pending */
  gint64         last_acknowledged;
  gboolean       has_level;
  gint64         last_check_at;   /* unix time; 0 before the first */
  guint          poll_interval;
  gboolean       recovered;       /* a damaged file was moved aside once already */
  gboolean       closed;

  DownbeatWorker *writer;         /* NULL once closed */
  Store         *store;           /* the writer's, touched only on its thread */
};

static inline gboolean
is_damage (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

static inline int
exec (sqlite3    *db,
      const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

extern const char * const downbeat_history_sighting_names[];

/* downbeat-history.c */
void      downbeat_history_set_problem      (DownbeatHistory  *self,
                                             char             *problem);
void      downbeat_history_emit_written     (DownbeatHistory  *self);

/* downbeat-history-schema.c */
int       downbeat_history_open_connection  (const char       *path,
                                             int               setup_ms,
                                             int               busy_ms,
                                             sqlite3         **db);
char     *downbeat_history_cannot_keep      (int               code);
char     *downbeat_history_move_aside       (const char       *path);
void      downbeat_history_close_reader     (DownbeatHistory  *self);
void      downbeat_history_note_moved_aside (DownbeatHistory  *self,
                                             const char       *aside);
gboolean  downbeat_history_ensure_open      (DownbeatHistory  *self);

/* downbeat-history-writer.c */
void      downbeat_history_writer_start     (DownbeatHistory  *self);
void      downbeat_history_writer_stop      (DownbeatHistory  *self);

G_END_DECLS
