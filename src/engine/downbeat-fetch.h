/* downbeat-fetch.h: one bounded HTTP request, its failure classified
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define DOWNBEAT_FETCH_MAX_BYTES   (1024 * 1024)
#define DOWNBEAT_FETCH_MAX_REDIRECTS 5
/* Longer than any request's own deadline (a probe's timeout_s is at most 300 s). */
#define DOWNBEAT_FETCH_IO_TIMEOUT_S  330

typedef enum
{
  DOWNBEAT_FAILURE_NONE,
  DOWNBEAT_FAILURE_DNS,
  DOWNBEAT_FAILURE_REFUSED,
  DOWNBEAT_FAILURE_TIMEOUT,
  DOWNBEAT_FAILURE_TLS,
  DOWNBEAT_FAILURE_NETWORK,
  DOWNBEAT_FAILURE_REDIRECTS,
  DOWNBEAT_FAILURE_HTTP_STATUS,
  DOWNBEAT_FAILURE_BODY,
  DOWNBEAT_FAILURE_EMPTY,
  DOWNBEAT_FAILURE_TOO_LARGE,
} DownbeatFailure;

const char      *downbeat_failure_to_string  (DownbeatFailure   failure);
DownbeatFailure  downbeat_failure_from_error (const GError     *error,
                                              char            **text);

typedef struct
{
  const char *url;
  const char *method;          /* "GET" or "HEAD" */
  guint       timeout_s;       /* for the whole exchange, redirects and body included */
  gsize       max_bytes;       /* of decoded body; more is a DOWNBEAT_FAILURE_TOO_LARGE */
  const char *if_none_match;   /* nullable */
  const char *if_modified_since; /* nullable */
  gboolean    headers_only;    /* a GET whose body is not wanted: not read, not kept */
} DownbeatFetchRequest;

typedef struct
{
  DownbeatFailure  failure;    /* NONE, or what kept an answer from arriving whole */
  char            *error;      /* why, for people; %NULL when failure is NONE */
  guint            status;     /* HTTP status of the last answer, 0 when none came */
  GBytes          *body;       /* %NULL for HEAD, 304 and failures */
  char            *etag;
  char            *last_modified;
  gint64           latency_ms;
  guint64          wire_bytes; /* HTTP bytes sent and received, headers included */
  guint            redirects;
  guint            retry_after_s; /* Retry-After of the last answer, in seconds; 0 when none */
} DownbeatFetchResult;

SoupSession         *downbeat_fetch_session_new (void);
void                 downbeat_fetch_async       (SoupSession                *session,
                                                 const DownbeatFetchRequest *request,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
DownbeatFetchResult *downbeat_fetch_finish      (GAsyncResult               *result,
                                                 GError                    **error);
void                 downbeat_fetch_result_free (DownbeatFetchResult        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DownbeatFetchResult, downbeat_fetch_result_free)

G_END_DECLS
