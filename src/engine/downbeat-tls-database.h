/* downbeat-tls-database.h: one trust list for all of a session's TLS connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOWNBEAT_TYPE_TLS_DATABASE (downbeat_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (DownbeatTlsDatabase, downbeat_tls_database, DOWNBEAT, TLS_DATABASE,
                      GTlsDatabase)

GTlsDatabase *downbeat_tls_database_new (GTlsDatabase *trusted);

G_END_DECLS
