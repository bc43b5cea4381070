/* downbeat-tls-database.c
 *
 * glib-networking before 2.78.1 (Debian 12 has 2.74) gives every TLS connection whose database
 * is its own GnuTLS one a trust list of its own, built from every CA of that database: 3.65 MiB
 * of heap for the system's 144, for as long as the connection stays open, and libsoup keeps an
 * idle connection until the server closes it. A connection whose database is of another type
 * drops its list once that database is set (2.74 still builds it first: 6 ms, as before) and
 * asks the database to verify the server's chain, host name included. This one is of another
 * type and hands every question to the database it wraps, whose one list then serves every
 * connection; the dropped ones are freed, and given back after each check. Nothing is verified
 * here, and nothing differently. The system's database is found at the first question: a
 * session that never speaks HTTPS never loads the TLS backend nor builds a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "downbeat-tls-database"

#include "config.h"

#include "downbeat-tls-database.h"

struct _DownbeatTlsDatabase
{
  GTlsDatabase  parent_instance;
  GTlsDatabase *trusted;   /* set once, by whichever TLS thread asks first when it was NULL */
};

G_DEFINE_FINAL_TYPE (DownbeatTlsDatabase, downbeat_tls_database, G_TYPE_TLS_DATABASE)

static GTlsDatabase *
wrapped (GTlsDatabase *database)
{
  DownbeatTlsDatabase *self = DOWNBEAT_TLS_DATABASE (database);

  if (g_once_init_enter (&self->trusted))
    {
      GTlsBackend *backend = g_tls_backend_get_default ();

      g_once_init_leave (&self->trusted, g_tls_backend_get_default_database (backend));
    }
  return self->trusted;
}

static GTlsCertificateFlags
verify_chain (GTlsDatabase             *database,
              GTlsCertificate          *chain,
              const char               *purpose,
              GSocketConnectable       *identity,
              GTlsInteraction          *interaction,
              GTlsDatabaseVerifyFlags   flags,
              GCancellable             *cancellable,
              GError                  **error)
{
  return g_tls_database_verify_chain (wrapped (database), chain, purpose, identity, interaction,
                                      flags, cancellable, error);
}

static char *
create_certificate_handle (GTlsDatabase    *database,
                           GTlsCertificate *certificate)
{
  return g_tls_database_create_certificate_handle (wrapped (database), certificate);
}

static GTlsCertificate *
lookup_certificate_for_handle (GTlsDatabase             *database,
                               const char               *handle,
                               GTlsInteraction          *interaction,
                               GTlsDatabaseLookupFlags   flags,
                               GCancellable             *cancellable,
                               GError                  **error)
{
  return g_tls_database_lookup_certificate_for_handle (wrapped (database), handle, interaction,
                                                       flags, cancellable, error);
}

static GTlsCertificate *
lookup_certificate_issuer (GTlsDatabase             *database,
                           GTlsCertificate          *certificate,
                           GTlsInteraction          *interaction,
                           GTlsDatabaseLookupFlags   flags,
                           GCancellable             *cancellable,
                           GError                  **error)
{
  return g_tls_database_lookup_certificate_issuer (wrapped (database), certificate, interaction,
                                                   flags, cancellable, error);
}

static GList *
lookup_certificates_issued_by (GTlsDatabase             *database,
                               GByteArray               *issuer,
                               GTlsInteraction          *interaction,
                               GTlsDatabaseLookupFlags   flags,
                               GCancellable             *cancellable,
                               GError                  **error)
{
  return g_tls_database_lookup_certificates_issued_by (wrapped (database), issuer, interaction,
                                                       flags, cancellable, error);
}

static void
downbeat_tls_database_finalize (GObject *object)
{
  g_clear_object (&DOWNBEAT_TLS_DATABASE (object)->trusted);
  G_OBJECT_CLASS (downbeat_tls_database_parent_class)->finalize (object);
}

static void
downbeat_tls_database_class_init (DownbeatTlsDatabaseClass *klass)
{
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = downbeat_tls_database_finalize;
  database_class->verify_chain = verify_chain;
  database_class->create_certificate_handle = create_certificate_handle;
  database_class->lookup_certificate_for_handle = lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = lookup_certificates_issued_by;
}

static void
downbeat_tls_database_init (DownbeatTlsDatabase *self)
{
}

/**
 * downbeat_tls_database_new:
 * @trusted: (nullable): the database that decides; %NULL for the system's default one
 *
 * Returns: (transfer full): a database that asks @trusted everything
 */
GTlsDatabase *
downbeat_tls_database_new (GTlsDatabase *trusted)
{
  DownbeatTlsDatabase *self;

  g_return_val_if_fail (trusted == NULL || G_IS_TLS_DATABASE (trusted), NULL);

  self = g_object_new (DOWNBEAT_TYPE_TLS_DATABASE, NULL);
  self->trusted = trusted != NULL ? g_object_ref (trusted) : NULL;
  return G_TLS_DATABASE (self);
}
