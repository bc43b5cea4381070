/* downbeat-service.h: what is checked, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "downbeat-probe.h"

G_BEGIN_DECLS

#define DOWNBEAT_SERVICE_ERROR (downbeat_service_error_quark ())

typedef enum
{
  DOWNBEAT_SERVICE_ERROR_READ,
  DOWNBEAT_SERVICE_ERROR_INVALID,
} DownbeatServiceError;

typedef struct
{
  char *name;
  char *summary_url;
  char *page_url;     /* nullable: the page for people */
  DownbeatAudience audience;
} DownbeatOfficialSource;

typedef struct
{
  char *date;         /* YYYY-MM-DD */
  char *title;
  char *details;      /* nullable */
  char *source;       /* a web address */
} DownbeatNotableOutage;

/* Where the service speaks for itself, besides its status pages (an account on a social
 * network): linked to, never read. */
typedef struct
{
  char *name;         /* "@SpotifyStatus on X" */
  char *url;          /* a web address */
} DownbeatChannel;

#define DOWNBEAT_TYPE_SERVICE (downbeat_service_get_type ())

G_DECLARE_FINAL_TYPE (DownbeatService, downbeat_service, DOWNBEAT, SERVICE, GObject)

GQuark           downbeat_service_error_quark        (void);
DownbeatService *downbeat_service_new_builtin        (void);
DownbeatService *downbeat_service_new_from_file      (const char       *path,
                                                      GError          **error);
DownbeatService *downbeat_service_new_from_data      (const char       *data,
                                                      gsize             length,
                                                      const char       *origin,
                                                      GError          **error);
const char      *downbeat_service_get_digest         (DownbeatService  *self);
const char      *downbeat_service_get_name           (DownbeatService  *self);
GPtrArray       *downbeat_service_get_official       (DownbeatService  *self);
GPtrArray       *downbeat_service_get_probes         (DownbeatService  *self);
const DownbeatProbeSpec *downbeat_service_get_control (DownbeatService *self);
GPtrArray       *downbeat_service_get_notable_outages (DownbeatService *self);
GPtrArray       *downbeat_service_get_channels       (DownbeatService  *self);

G_END_DECLS
