// PayTrack's small enhancements. Every form works without this file; it only adds comfort.
(function () {
  "use strict";

  // Ask before destructive actions (forms marked data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm-button"));
    // A bulk action with nothing ticked changes nothing: let the page say "tick the entries first" without asking.
    if (question && form.querySelector("input[name=ids]") && !form.querySelector("input[name=ids]:checked")) question = null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Avoid double submissions of money-moving forms.
    var button = event.submitter || form.querySelector("button[type=submit]");
    if (button && form.hasAttribute("data-once")) {
      window.setTimeout(function () { button.setAttribute("aria-busy", "true"); button.disabled = true; }, 0);
    }
  });

  // Move focus to the first field in error so keyboard and screen-reader users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  });

  // Forms marked data-autosubmit (filters) apply as soon as a field changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    var form = el && el.form;
    if (form && form.hasAttribute("data-autosubmit") && (el.tagName === "SELECT" || el.type === "date")) form.requestSubmit();
  });
})();

// Show only the fields that belong to the chosen radio option (elements with data-show-for="name=value").
(function () {
  "use strict";
  function sync(root) {
    root.querySelectorAll("[data-show-for]").forEach(function (el) {
      var parts = el.getAttribute("data-show-for").split("=");
      var checked = root.querySelector("input[type=radio][name='" + parts[0] + "']:checked");
      el.hidden = !!checked && checked.value !== parts[1];
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sync(document); });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.type === "radio") sync(document);
  });
})();

// "All" ticks every row of a bulk-edit list (checkbox with data-select-all="<name of the row checkboxes>").
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all || !all.hasAttribute || !all.hasAttribute("data-select-all")) return;
    var name = all.getAttribute("data-select-all");
    (all.form || document).querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) { box.checked = all.checked; });
  });
})();

// The bell counts up while the page is open: the caller's notification stream (GET /me/events, Server-Sent Events).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var bell = document.querySelector(".bell[data-bell-events]");
    if (!bell || !("EventSource" in window)) return;
    var count = bell.querySelector(".bell__count");
    var source = new EventSource(bell.getAttribute("data-bell-events"));
    source.addEventListener("notification", function () {
      var n = (parseInt(bell.getAttribute("data-unread"), 10) || 0) + 1;
      bell.setAttribute("data-unread", String(n));
      bell.setAttribute("aria-label", "Notifications, " + n + " unread");
      count.textContent = n > 99 ? "99+" : String(n);
      count.hidden = false;
    });
    window.addEventListener("pagehide", function () { source.close(); });
  });
})();
