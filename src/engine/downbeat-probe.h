/* downbeat-probe.h: one first-hand check of an endpoint, and how its answer is judged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-fetch.h"
#include "downbeat-handshake.h"

G_BEGIN_DECLS

#define DOWNBEAT_PROBE_DEFAULT_TIMEOUT_S 10
#define DOWNBEAT_PROBE_DEFAULT_SLOW_MS   3000

/* Whose service a check watches: what listeners use, or what only developers do (the Web API). */
typedef enum
{
  DOWNBEAT_AUDIENCE_LISTENERS,
  DOWNBEAT_AUDIENCE_DEVELOPERS,
} DownbeatAudience;

/* What a probe stands for, to a person who wants to know what still works (docs/design.md,
 * "Advice"). */
typedef enum
{
  DOWNBEAT_ROLE_NONE,
  DOWNBEAT_ROLE_SIGN_IN,        /* signing in */
  DOWNBEAT_ROLE_APP,            /* the servers the Spotify app plays from */
  DOWNBEAT_ROLE_WEB_PLAYER,     /* the web player */
  DOWNBEAT_N_ROLES
} DownbeatRole;

/* What a failed attempt says about the service (see docs/design.md, "Evidence"). */
typedef enum
{
  DOWNBEAT_OUTCOME_PASS,
  DOWNBEAT_OUTCOME_FAILING,     /* looks like the service failing: 5xx, timeout, refused, TLS… */
  DOWNBEAT_OUTCOME_MISMATCH,    /* a well-formed answer that is not what the check expects */
  DOWNBEAT_OUTCOME_NO_RESULT,   /* says nothing either way: 429, or not tried */
} DownbeatOutcome;

/* A probe that is an access point's handshake rather than a request (downbeat-handshake-probe.c). */
typedef struct
{
  char                 *from;   /* the id of the probe whose answer lists the access points */
  guint                 from_index;
  guint16               port;
  guint16               fallback_port;  /* 0: none */
  GBytes               *server_key;
  DownbeatHandshakeKey *key;
} DownbeatHandshakeSpec;

typedef struct
{
  char   *id;
  char   *name;
  char   *url;                  /* %NULL for a handshake */
  char   *method;               /* "GET" or "HEAD" */
  GArray *expect_status;        /* of guint; %NULL for any 2xx or 3xx */
  char   *expect_json_key;      /* nullable */
  char   *expect_body_contains; /* nullable */
  guint   timeout_s;
  guint   slow_ms;
  DownbeatAudience audience;
  DownbeatRole role;
  char   *evidence;             /* nullable: a web address showing the expectation holds */
  char   *fingerprint;          /* of what is asked and expected: trust ends when it changes */
  DownbeatHandshakeSpec *handshake; /* nullable */
  guint16 lists_port;           /* non-zero: the access points on this port its answer lists are
                                 * kept, for a handshake to try */
} DownbeatProbeSpec;

typedef struct
{
  gboolean         ok;          /* the answer was what the spec expects */
  gboolean         slow;        /* ok, but later than slow_ms */
  DownbeatFailure  failure;
  char            *error;       /* why it failed, for people; %NULL when ok */
  guint            http_status; /* 0 when no answer came */
  gint64           latency_ms;
  guint64          wire_bytes;
  DownbeatOutcome  outcome;
  guint            retry_after_s; /* with a 429: how long the server asked us to wait */
  GStrv            listed;      /* nullable: the access points its answer lists (lists_port) */
  gboolean         port_blocked; /* a handshake no access point answered, on a port this
                                  * network blocks: they take connections on fallback_port */
} DownbeatProbeResult;

DownbeatProbeSpec   *downbeat_probe_spec_new     (void);
void                 downbeat_probe_spec_free    (DownbeatProbeSpec        *spec);

DownbeatFailure      downbeat_probe_judge        (const DownbeatProbeSpec  *spec,
                                                  guint                     status,
                                                  GBytes                   *body,
                                                  char                    **error);
DownbeatOutcome      downbeat_probe_outcome      (DownbeatFailure           failure,
                                                  guint                     http_status);
char                *downbeat_probe_fingerprint  (const DownbeatProbeSpec  *spec);
const char          *downbeat_outcome_to_string  (DownbeatOutcome           outcome);

void                 downbeat_probe_run_async    (SoupSession              *session,
                                                  const DownbeatProbeSpec  *spec,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
DownbeatProbeResult *downbeat_probe_run_finish   (GAsyncResult             *result,
                                                  GError                  **error);

void                 downbeat_probe_result_free  (DownbeatProbeResult      *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatProbeSpec, downbeat_probe_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatProbeResult, downbeat_probe_result_free)

G_END_DECLS
