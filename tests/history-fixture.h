/* history-fixture.h: a day of made-up history, for the window's tests and screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "downbeat-history.h"

G_BEGIN_DECLS

void history_fixture_fill_day (DownbeatHistory *history,
                               GDateTime       *now);

G_END_DECLS
