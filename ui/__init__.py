"""The PySide6 desktop application.

- `ui.app`: the `commissioner-app` entry point (open_context, create_main_window, render_screenshot).
- `ui.context.AppContext`: store (used only by the executor's worker), reader (read-only connection
  for the GUI thread's lazy list pages and small lookups), settings, language, `tasks` (the
  executor), and the signal `operation_did_execute(changes)` (after an operation changed records:
  each view decides itself whether to refresh); `set_language` switches the language: every widget
  re-sets its texts in `changeEvent` (`QEvent.LanguageChange`) → `retranslate()`.
- `ui.tasks.Operation`: runs a core operation (commissioner_app/ops, sync/ops.py) off the GUI thread;
  the GUI holds no SQL (tests/ui/test_no_sql_in_ui.py).
- `ui.main_window.MainWindow.add_view(key, widget, title_fn)`: more views on the rail.
- `ui.models`, `ui.views`: the lazy lists and the rail's views; `ui.profile`: the profile dialog.
- `ui.i18n`, `ui.i18n_build`, `ui/translations/app_en.ts`: Chinese source strings, the English catalog.
"""

from ui import qt_compat as _qt_compat

_qt_compat.apply()
