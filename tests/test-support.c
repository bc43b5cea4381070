/* test-support.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-support.h"

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; fails the test, naming @what, once @timeout_s
 * have passed instead: a regression fails rather than hangs. */
void
test_wait_until (TestCondition  condition,
                 gpointer       data,
                 guint          timeout_s,
                 const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s in vain for %s", timeout_s, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake_id);
}

/* For test_wait_until(): @res points to a GAsyncResult pointer that a callback fills. */
gboolean
test_result_arrived (gpointer res)
{
  return *(GAsyncResult **) res != NULL;
}

/* For test_wait_until(): @flag points to a gboolean a callback sets. */
gboolean
test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/* A proxy resolver that takes every question and never answers, whether cancelled or not,
 * as a hung proxy script would: every request of a session that uses it is lost inside
 * libsoup, which never calls back. The stand-in for libsoup losing a request on its own,
 * which it does only by chance. */
G_DECLARE_FINAL_TYPE (LostRequestResolver, lost_request_resolver, TEST, LOST_REQUEST_RESOLVER,
                      GObject)

struct _LostRequestResolver
{
  GObject  parent_instance;
  GList   *questions;
};

static void lost_request_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_TYPE_WITH_CODE (LostRequestResolver, lost_request_resolver, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                lost_request_resolver_iface_init))

static void
lost_request_resolver_finalize (GObject *object)
{
  LostRequestResolver *self = (LostRequestResolver *) object;

  g_list_free_full (self->questions, g_object_unref);
  G_OBJECT_CLASS (lost_request_resolver_parent_class)->finalize (object);
}

static void
lost_request_resolver_class_init (LostRequestResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lost_request_resolver_finalize;
}

static void
lost_request_resolver_init (LostRequestResolver *self)
{
}

static gboolean
is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
lookup (GProxyResolver  *resolver,
        const char      *uri,
        GCancellable    *cancellable,
        GError         **error)
{
  g_assert_not_reached ();
}

static void
lookup_async (GProxyResolver      *resolver,
              const char          *uri,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  LostRequestResolver *self = (LostRequestResolver *) resolver;

  self->questions = g_list_prepend (self->questions,
                                    g_task_new (resolver, NULL, callback, user_data));
}

static char **
lookup_finish (GProxyResolver  *resolver,
               GAsyncResult    *result,
               GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lost_request_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = is_supported;
  iface->lookup = lookup;
  iface->lookup_async = lookup_async;
  iface->lookup_finish = lookup_finish;
}

GProxyResolver *
test_lost_request_resolver_new (void)
{
  return g_object_new (lost_request_resolver_get_type (), NULL);
}
